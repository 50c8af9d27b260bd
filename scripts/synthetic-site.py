#!/usr/bin/env python3
"""Write a synthetic Vita site for benchmarks: N publications by a pool of researchers.

Usage: scripts/synthetic-site.py DIR PUBLICATIONS [RESEARCHERS]

The content is deterministic (a fixed random seed), so builds can be compared.
Abstracts carry inline math and LaTeX text commands like real arXiv abstracts.
"""

import random
import sys
from pathlib import Path

TOPICS = [
    "Interpretability", "Graph Neural Networks", "Optimization", "Privacy",
    "Causal Inference", "Reinforcement Learning", "Computer Vision",
    "Natural Language Processing", "Robustness", "Generative Models",
]
WORDS = (
    "we study the effect of sparse attention on generalization in deep networks and "
    "show that a simple regularizer improves robustness across benchmarks"
).split()


def main() -> None:
    root = Path(sys.argv[1])
    publications = int(sys.argv[2])
    researchers = int(sys.argv[3]) if len(sys.argv) > 3 else max(10, publications // 10)
    rng = random.Random(1234)

    people = root / "content" / "researchers"
    people.mkdir(parents=True, exist_ok=True)
    for index in range(researchers):
        topics = rng.sample(TOPICS, 2)
        (people / f"researcher-{index}.yaml").write_text(
            f"name: Researcher Number{index}\n"
            f"aliases: ['R. Number{index}']\n"
            f"headline: Works on {topics[0].lower()}.\n"
            f"topics: [{topics[0]}, {topics[1]}]\n"
            f"open_to_collaborate: {str(index % 2 == 0).lower()}\n",
            encoding="utf-8",
        )

    for index in range(publications):
        year = 2000 + index % 25
        folder = root / "content" / "publications" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        authors = [f"researcher-{rng.randrange(researchers)}" for _ in range(rng.randint(1, 5))]
        authors = list(dict.fromkeys(authors)) + [f"Outside Author{rng.randrange(1000)}"]
        body = " ".join(rng.choice(WORDS) for _ in range(120))
        (folder / f"paper-{index}.yaml").write_text(
            f"title: 'Paper {index}: \\emph{{sparse}} attention at $N = 10^{index % 7}$'\n"
            "authors:\n" + "".join(f"  - {author}\n" for author in authors) +
            f"year: {year}\n"
            "type: conference\n"
            "venue: Synthetic Conference\n"
            f"topics: [{rng.choice(TOPICS)}, {rng.choice(TOPICS)}]\n"
            "abstract: |\n"
            f"  {body} with $O(d_{{\\max}})$ cost and \\textbf{{bold}} claims -- see $\\sum_i x_i^2$.\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
