/**
 * "New Tuning Spec": a commented starter spec for a Python file. A module-level function taking
 * `params` makes an objective-mode spec; otherwise a script-mode spec, with the script's argparse
 * options (those with numeric or choice defaults) proposed as the search space.
 */

export interface StarterInput {
  /** File name of the Python file, e.g. "train.py" (the spec is written next to it). */
  fileName: string;
  text: string;
}

export interface StarterSpec {
  /** Suggested spec file name, e.g. "train.tune.yaml". */
  fileName: string;
  mode: 'script' | 'objective';
  text: string;
}

interface Option {
  name: string;
  values: string[];
}

const OBJECTIVE_DEF = /^(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(\s*(params|config|hparams|trial_params)\b/m;
const REPORT_CALL = /\breport\s*\(\s*([A-Za-z_]\w*)\s*=/;
const RETURN_DICT = /return\s*\{\s*["']([A-Za-z_]\w*)["']\s*:/;
const ADD_ARGUMENT = /add_argument\(\s*["']--([A-Za-z][\w-]*)["']([^)]*)\)/g;

/** The metric the code reports: report(accuracy=...), a returned {"accuracy": ...}, or a common name. */
export function detectMetric(text: string): string {
  const m = REPORT_CALL.exec(text) ?? RETURN_DICT.exec(text);
  if (m) return m[1];
  for (const name of ['accuracy', 'roc_auc', 'f1', 'r2', 'loss', 'rmse', 'mae']) {
    if (new RegExp(`["']${name}["']`).test(text)) return name;
  }
  return 'score';
}

/** Whether lower is better for a metric name. */
export function metricMode(metric: string): 'max' | 'min' {
  return /loss|error|rmse|mae|mse|logloss|time/i.test(metric) ? 'min' : 'max';
}

function argparseOptions(text: string): Option[] {
  const options: Option[] = [];
  for (const m of text.matchAll(ADD_ARGUMENT)) {
    const rest = m[2];
    const choices = /choices\s*=\s*\[([^\]]*)\]/.exec(rest);
    const defaultValue = /default\s*=\s*([^,)\s]+)/.exec(rest)?.[1];
    const type = /type\s*=\s*(int|float)/.exec(rest)?.[1];
    let values: string[] | null = null;
    if (choices) {
      values = choices[1]
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
        .map(yamlScalar);
    } else if (defaultValue !== undefined && /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(defaultValue)) {
      const n = Number(defaultValue);
      values =
        type === 'int' || (!type && Number.isInteger(n))
          ? [...new Set([Math.max(1, Math.round(n / 2)), n, n * 2])].map(String)
          : [n / 10, n, n * 10].map((v) => String(Number(v.toPrecision(3))));
    }
    if (values && values.length > 0) options.push({ name: m[1].replace(/-/g, '_'), values });
  }
  return options;
}

function yamlScalar(python: string): string {
  const unquoted = python.replace(/^["'](.*)["']$/, '$1');
  if (python === 'None') return 'null';
  if (python === 'True' || python === 'False') return python.toLowerCase();
  return /^-?\d+(\.\d+)?$/.test(unquoted) ? unquoted : JSON.stringify(unquoted);
}

const RESOURCES = `# How many trials run at once follows free CPU and memory; these bound it.
resources:
  workers: auto          # or a number
  threadsPerTrial: 1     # BLAS/OpenMP threads per trial (workers x threads never exceed the cores)
  memoryPerTrial: auto   # or e.g. 2GB: what one trial needs; auto measures the first trials
  # memoryBudget: 8GB    # default: available memory minus a reserve
  # timeout: 10m         # per trial
`;

export function starterSpec(input: StarterInput): StarterSpec {
  const base = input.fileName.replace(/\.py$/i, '');
  const metric = detectMetric(input.text);
  const mode = metricMode(metric);
  const objective = OBJECTIVE_DEF.exec(input.text);
  const header = `# Headroom tuning spec for ${input.fileName}.
# Run it with "Headroom: Start Tuning Run" or the Run link above. Fields and defaults are explained
# on hover and completed as you type (JSON Schema).
name: ${base}
`;
  const search = `
# grid: every combination; random: \`trials\` draws; halving: successive halving over the data fraction.
search: grid
metric: ${metric}   # the name your code reports
mode: ${mode}
`;
  if (objective) {
    const text = `${header}
# Objective mode: worker processes import ${input.fileName} once and call ${objective[1]}(params) per
# trial; it returns a number or a dict of metrics.
objective: ${base}:${objective[1]}
${search}
# Lists are grid axes. For random search use {choice: [...]}, {uniform: [low, high]},
# {loguniform: [low, high]} or {int: [low, high]}.
params:
  # n_estimators: [50, 100, 200]
  # max_depth: [null, 10, 20]
  example_param: [1, 2, 3]

${RESOURCES}`;
    return { fileName: `${base}.tune.yaml`, mode: 'objective', text };
  }
  const options = argparseOptions(input.text);
  const params =
    options.length > 0
      ? options.map((o) => `  ${o.name}: [${o.values.join(', ')}]`).join('\n')
      : '  # n_estimators: [50, 100, 200]\n  # max_depth: [null, 10, 20]\n  example_param: [1, 2, 3]';
  const text = `${header}
# Script mode: one process per trial, params passed as --name value arguments and as JSON in the
# HEADROOM_PARAMS environment variable. Report the result with headroom_runtime.report(${metric}=...)
# or print a JSON object such as {"${metric}": 0.93} as the last line.
script: ${input.fileName}
${search}
# Lists are grid axes. For random search use {choice: [...]}, {uniform: [low, high]},
# {loguniform: [low, high]} or {int: [low, high]}.
params:
${params}

${RESOURCES}`;
  return { fileName: `${base}.tune.yaml`, mode: 'script', text };
}
