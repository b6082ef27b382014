"""Predicts customer churn from demo/data/customers.csv with scikit-learn.

A typical first model, written the way many notebooks are: the CSV is read with pandas' defaults
(int64/float64/Python strings) and the search uses every core. Headroom's hints and tuning runs show
what that costs and what it would cost with smaller dtypes, a sample, or fewer workers.

    python demo/train.py            # from the repository root, or `python train.py` inside demo/
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.metrics import classification_report, roc_auc_score
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

DATA = Path(__file__).resolve().parent / "data" / "customers.csv"

CATEGORICAL = ["region", "plan", "channel", "device"]
NUMERIC = [
    "age", "household_size", "tenure_days", "monthly_spend", "annual_income",
    "support_tickets", "satisfaction", "discount_rate",
]


def main() -> None:
    df = pd.read_csv(DATA, parse_dates=["signup_date", "last_seen"])
    df["is_business"] = df["is_business"].astype(int)
    df["days_since_seen"] = (df["last_seen"].max() - df["last_seen"]).dt.days
    features = CATEGORICAL + NUMERIC + ["is_business", "days_since_seen"]

    x_train, x_test, y_train, y_test = train_test_split(
        df[features], df["churned"], test_size=0.25, stratify=df["churned"], random_state=0
    )
    preprocess = ColumnTransformer([
        ("categories", Pipeline([
            ("fill", SimpleImputer(strategy="constant", fill_value="unknown")),
            ("onehot", OneHotEncoder(handle_unknown="ignore")),
        ]), CATEGORICAL),
        ("numbers", SimpleImputer(strategy="median"), NUMERIC + ["is_business", "days_since_seen"]),
    ])
    model = Pipeline([("prep", preprocess), ("clf", HistGradientBoostingClassifier(random_state=0))])
    grid = {
        "clf__learning_rate": [0.05, 0.1],
        "clf__max_leaf_nodes": [15, 31],
        "clf__l2_regularization": [0.0, 1.0],
    }
    search = GridSearchCV(model, grid, scoring="roc_auc", cv=3, n_jobs=-1)
    search.fit(x_train, y_train)

    proba = search.predict_proba(x_test)[:, 1]
    print(f"best params: {search.best_params_}")
    print(f"cross-validated ROC AUC: {search.best_score_:.3f}")
    print(f"test ROC AUC: {roc_auc_score(y_test, proba):.3f}")
    print(classification_report(y_test, search.predict(x_test), digits=3))


if __name__ == "__main__":
    main()
