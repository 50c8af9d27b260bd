//! `vita build` killed with SIGKILL at many points of a build: the output folder of the
//! previous build must stay whole each time, because the new site is written beside it
//! and exchanged in one step.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Fixture, tree};

/// Enough publications for a build of one to two seconds in the debug profile.
const PUBLICATIONS: usize = 150;
const KILLS: u32 = 50;

/// Writes a site with a few researchers and `PUBLICATIONS` publications that share them.
fn large_site() -> Fixture {
    let site = Fixture::new();
    let researchers = ["ada", "grace", "alan", "emmy"];
    for id in researchers {
        site.researcher(
            id,
            &format!("name: {id} Example\nheadline: Studies graphs\nbio: A bio with $x^2$.\n"),
        );
    }
    for index in 0..PUBLICATIONS {
        let first = researchers[index % researchers.len()];
        let second = researchers[(index + 1) % researchers.len()];
        site.publication(
            &format!("paper-{index}"),
            &format!(
                "title: Paper {index} on $O(n^{index})$ graphs\nauthors: [{first}, {second}]\n\
                 year: {year}\ntopics: [graphs, topic {topic}]\nvenue: Proc. {index}\n\
                 links:\n  doi: 10.1234/paper.{index}\n\
                 abstract: |\n  We study *graphs* with $n$ nodes, part {index}.\n",
                year = 2000 + index % 25,
                topic = index % 20,
            ),
        );
    }
    site
}

fn start_build(site: &Fixture) -> Child {
    Command::new(env!("CARGO_BIN_EXE_vita"))
        .args(["build", "--quiet", "--root"])
        .arg(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start vita build")
}

#[test]
fn killed_build_keeps_previous_output() {
    let site = large_site();

    let started = Instant::now();
    let status = start_build(&site).wait().expect("wait for vita build");
    let duration = started.elapsed();
    assert!(status.success(), "the first build failed: {status}");
    let snapshot = tree(&site.output());
    assert!(
        snapshot.len() > PUBLICATIONS,
        "only {} files written",
        snapshot.len()
    );

    let mut killed_while_running = 0;
    for attempt in 0..KILLS {
        // The delays are spread evenly from the start of the build to its end.
        let delay = duration.mul_f64(f64::from(attempt) / f64::from(KILLS));
        let mut child = start_build(&site);
        std::thread::sleep(delay);
        if child.try_wait().expect("poll vita build").is_none() {
            killed_while_running += 1;
        }
        // `Child::kill` sends SIGKILL on Unix.
        let _already_exited = child.kill();
        child.wait().expect("wait for the killed build");

        let after = tree(&site.output());
        assert_eq!(
            after.len(),
            snapshot.len(),
            "file count changed after a kill at {delay:?}"
        );
        for ((path, bytes), (expected_path, expected_bytes)) in after.iter().zip(&snapshot) {
            assert_eq!(path, expected_path, "after a kill at {delay:?}");
            assert!(
                bytes == expected_bytes,
                "{path} changed after a kill at {delay:?}"
            );
        }
    }
    // Scheduling can stretch or shrink a build, so only half of the kills need to hit a
    // running build.
    assert!(
        killed_while_running >= KILLS / 2,
        "only {killed_while_running} of {KILLS} kills hit a running build \
         (a build takes {duration:?})"
    );
}

#[test]
fn killed_build_leftovers_removed() {
    let site = large_site();
    let mut child = start_build(&site);
    std::thread::sleep(Duration::from_millis(200));
    let _already_exited = child.kill();
    child.wait().expect("wait for the killed build");

    let status = start_build(&site).wait().expect("wait for vita build");
    assert!(status.success(), "the build after a kill failed: {status}");
    let mut names: Vec<String> = std::fs::read_dir(site.root())
        .expect("list the site folder")
        .map(|entry| {
            entry
                .expect("read an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert_eq!(names, ["content", "output", "site.yaml"]);
}
