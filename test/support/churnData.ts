/**
 * A small churn table and a plain scikit-learn script (no Headroom code) that tunes a random forest
 * on it with GridSearchCV, reading the CSV through `Path(__file__)`: the newcomer's own project, for
 * the integration and end-to-end tests of "New Tuning Spec".
 */

/** Signal in some columns, noise in others (fixed seed), so the grid has one best candidate. */
export function churnCsv(rows: number): string {
  let x = 12345;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = ['age,visits,spend,tickets,noise,churned'];
  for (let i = 0; i < rows; i++) {
    const age = 18 + Math.floor(next() * 60);
    const visits = Math.floor(next() * 40);
    const spend = Math.round(next() * 5000) / 10;
    const tickets = Math.floor(next() * 6);
    const noise = Math.round(next() * 1000);
    const risk = tickets * 0.6 - visits * 0.05 + (age < 30 ? 0.8 : 0) + (next() - 0.5) * 2.5;
    lines.push([age, visits, spend, tickets, noise, risk > 0.6 ? 1 : 0].join(','));
  }
  return lines.join('\n') + '\n';
}

/** train.py: prints BEST <json params>, SCORE <float> and ALL <json mean scores> after its search. */
export const CHURN_SCRIPT = `import json
from pathlib import Path

import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV

DATA = Path(__file__).resolve().parent / "data" / "churn.csv"


def main():
    df = pd.read_csv(DATA)
    X, y = df.drop(columns="churned"), df["churned"]
    search = GridSearchCV(
        RandomForestClassifier(random_state=0),
        {"n_estimators": [10, 40], "max_depth": [None, 2, 4], "max_features": [0.5, 1.0]},
        cv=5,
        n_jobs=-1,
    )
    search.fit(X, y)
    print("BEST " + json.dumps(search.best_params_, sort_keys=True))
    print("SCORE " + repr(float(search.best_score_)))
    print("ALL " + json.dumps([float(s) for s in search.cv_results_["mean_test_score"]]))


if __name__ == "__main__":
    main()
`;

/** What the script's own GridSearchCV printed. */
export function ownSearchResult(stdout: string): { best: Record<string, unknown>; score: number; all: number[] } {
  return {
    best: JSON.parse(/^BEST (.*)$/m.exec(stdout)![1]) as Record<string, unknown>,
    score: Number(/^SCORE (.*)$/m.exec(stdout)![1]),
    all: JSON.parse(/^ALL (.*)$/m.exec(stdout)![1]) as number[],
  };
}
