"""The seeds' RandomForest grid (3 x 3, cv=5, customers.csv) in one mode, for joblib.bench.ts.

Usage: joblib_rf.py default|headroom   Prints one JSON line: the search's wall seconds, best params, mean scores.
"""
import json
import os
import sys
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(REPO, "demo", "tuning"))

from churn_model import CATEGORICAL, NUMERIC, load  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402

import headroom_runtime as hr  # noqa: E402
from sklearn.preprocessing import OneHotEncoder  # noqa: E402

X, y = load()
model = Pipeline([
    ("prep", ColumnTransformer([
        ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
        ("num", SimpleImputer(strategy="median"), NUMERIC),
    ])),
    ("forest", RandomForestClassifier(random_state=0, n_jobs=1)),
])
search = GridSearchCV(model, {"forest__n_estimators": [50, 100, 200], "forest__max_depth": [None, 10, 20]}, cv=5,
                      scoring="roc_auc", n_jobs=-1)
started = time.perf_counter()
if sys.argv[1] == "headroom":
    with hr.parallel(record=False):
        search.fit(X, y)
else:
    search.fit(X, y)
wall = time.perf_counter() - started
print(json.dumps({"wallSeconds": wall, "bestParams": search.best_params_,
                  "scores": [float(v) for v in search.cv_results_["mean_test_score"]]}))
