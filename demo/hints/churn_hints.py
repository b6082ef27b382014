"""Headroom's inline hints on a typical first model (open this file in VS Code with Headroom installed).

- After each read_csv call an inlay hint shows what the frame costs in your pandas, and with the dtypes
  Headroom suggests; hover it for rows, columns, the heaviest columns and the file used; the lightbulb
  adds the dtype= / parse_dates= arguments for you.
- The searches below get a memory forecast on hover, a warning when n_jobs would not fit in the memory
  available, and a warning for the forest running inside a parallel search (workers x workers > cores).

Run from the repository root or from this folder: `python demo/hints/churn_hints.py`.
"""

import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score

customers = pd.read_csv("../data/customers.csv")

# Only the columns the model uses, the first 2,000 rows: the hint follows the arguments.
recent = pd.read_csv(
    "../data/customers.csv",
    usecols=["tenure_days", "monthly_spend", "support_tickets", "churned"],
    nrows=2000,
)

features = ["age", "household_size", "tenure_days", "monthly_spend", "support_tickets", "discount_rate"]
X = customers[features]
y = customers["churned"]

scores = cross_val_score(LogisticRegression(max_iter=1000), X, y, cv=5, n_jobs=-1)

# A parallel forest inside a parallel search: up to cores x cores workers.
search = GridSearchCV(
    RandomForestClassifier(n_estimators=200, n_jobs=-1),
    {"max_depth": [4, 8, None], "min_samples_leaf": [1, 5]},
    cv=3,
    n_jobs=-1,
)

if __name__ == "__main__":
    search.fit(X, y)
    print(f"cross-validated accuracy {scores.mean():.3f}; best forest {search.best_params_}")
