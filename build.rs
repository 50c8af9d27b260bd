//! Rebuilds the crate when the built-in theme changes, since it is embedded in the binary.

fn main() {
    println!("cargo::rerun-if-changed=themes/default");
}
