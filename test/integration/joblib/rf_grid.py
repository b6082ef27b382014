"""The seeds' RandomForest grid (demo/tuning: n_estimators x max_depth, 3 x 3) with cv=5 on
demo/data/customers.csv, fitted with joblib's default backend and then under headroom_runtime.parallel().

Usage: rf_grid.py WORKSPACE   Prints one JSON line with both searches' cv_results_ scores and best_params_.
"""
import json
import os
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(REPO, "demo", "tuning"))

from churn_model import CATEGORICAL, NUMERIC, load  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder  # noqa: E402

import headroom_runtime as hr  # noqa: E402

workspace = sys.argv[1]
X, y = load()
model = Pipeline([
    ("prep", ColumnTransformer([
        ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
        ("num", SimpleImputer(strategy="median"), NUMERIC),
    ])),
    ("forest", RandomForestClassifier(random_state=0, n_jobs=1)),
])
grid = {"forest__n_estimators": [50, 100, 200], "forest__max_depth": [None, 10, 20]}


def scores(search):
    r = search.cv_results_
    keys = sorted(k for k in r if k.endswith("_test_score") and k.startswith(("split", "mean")))
    return {
        "best_params": {k: v for k, v in search.best_params_.items()},
        "params": [{k: v for k, v in p.items()} for p in r["params"]],
        "scores": {k: [float(v) for v in r[k]] for k in keys},
    }


default = GridSearchCV(model, grid, cv=5, scoring="roc_auc", n_jobs=-1).fit(X, y)
headroom = GridSearchCV(model, grid, cv=5, scoring="roc_auc", n_jobs=-1)
with hr.parallel(record=workspace) as backend:
    headroom.fit(X, y)
print(json.dumps({"default": scores(default), "headroom": scores(headroom), "runDir": backend._run.dir if backend._run else None,
                  "decisions": [d["reason"] for d in backend.decisions]}))
