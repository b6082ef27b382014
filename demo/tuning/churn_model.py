"""Shared by the tuning demos: load demo/data/customers.csv and score a churn RandomForest with CV."""

from pathlib import Path

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

DATA = Path(__file__).resolve().parent.parent / "data" / "customers.csv"
CATEGORICAL = ["region", "plan", "channel", "device"]
NUMERIC = ["age", "household_size", "tenure_days", "monthly_spend", "annual_income",
           "support_tickets", "satisfaction", "discount_rate"]


def load():
    frame = pd.read_csv(DATA)
    return frame[CATEGORICAL + NUMERIC], frame["churned"]


def cv_auc(X, y, n_estimators, max_depth, folds=3):
    model = Pipeline([
        ("prep", ColumnTransformer([
            ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
            ("num", SimpleImputer(strategy="median"), NUMERIC),
        ])),
        ("forest", RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth, random_state=0, n_jobs=1)),
    ])
    return cross_val_score(model, X, y, cv=folds, scoring="roc_auc").mean()
