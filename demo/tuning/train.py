"""Script-mode tuning demo: one process per trial, params arrive as --name value arguments.

    python train.py --n_estimators 100 --max_depth None     # runs on its own too
    node dist/cli.js tune demo/tuning/rf.tune.yaml           # a grid search through Headroom
"""

import argparse
import json

from churn_model import cv_auc, load

try:
    import headroom_runtime as hr  # on PYTHONPATH inside a Headroom trial
except ImportError:
    hr = None


def depth(text):
    return None if text == "None" else int(text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n_estimators", type=int, default=100)
    parser.add_argument("--max_depth", type=depth, default=None)
    args = parser.parse_args()
    X, y = load()
    if hr is not None:
        X, y = hr.subsample(X, y)  # the spec's `sample:` share of the rows, stratified by churn
    auc = cv_auc(X, y, args.n_estimators, args.max_depth)
    # Without the runtime, the last JSON line with the metric is the result.
    print(json.dumps({"roc_auc": auc, "rows": len(X)}))


if __name__ == "__main__":
    main()
