/**
 * The pandas model (pandas, CPython, pyarrow) from a probe of the user's interpreter and the
 * user's overrides; when the interpreter cannot tell (missing, no pandas), a stated default.
 */
import type { PandasModel } from '../footprint/types';
import { PythonError, probePython, type PythonProbe } from './interpreter';

/** "auto" or a version ("2.2") / "true" | "false" for pyarrow. */
export interface ModelOverrides {
  pandas?: string;
  python?: string;
  pyarrow?: 'auto' | 'true' | 'false' | boolean;
}

export interface ModelResolution {
  model: PandasModel;
  /** Where each part came from, for logs and tooltips. */
  source: 'interpreter' | 'default' | 'override';
  probe: PythonProbe | null;
  /** Set when the model is (partly) a default: what went wrong and what to do, in plain words. */
  message?: string;
}

/** What `pip install pandas` gives today: pandas 3 on Python >= 3.11 (2.2 before), without pyarrow. */
export function defaultModel(python = '3.12'): PandasModel {
  const [major, minor] = python.split('.').map(Number);
  const modern = major > 3 || (major === 3 && minor >= 11);
  return { pandas: modern ? '3.0' : '2.2', python, pyarrow: false };
}

export function majorMinor(version: string): string {
  const match = /^(\d+)\.(\d+)/.exec(version.trim());
  return match ? `${match[1]}.${match[2]}` : version.trim();
}

function isSet(value: string | undefined): value is string {
  return value !== undefined && value !== '' && value !== 'auto';
}

export function applyOverrides(base: PandasModel, overrides: ModelOverrides): PandasModel {
  const pyarrow = overrides.pyarrow;
  return {
    pandas: isSet(overrides.pandas) ? majorMinor(overrides.pandas) : base.pandas,
    python: isSet(overrides.python) ? majorMinor(overrides.python) : base.python,
    pyarrow:
      pyarrow === true || pyarrow === 'true' ? true : pyarrow === false || pyarrow === 'false' ? false : base.pyarrow,
  };
}

function allOverridden(o: ModelOverrides): boolean {
  return isSet(o.pandas) && isSet(o.python) && o.pyarrow !== undefined && o.pyarrow !== 'auto';
}

/** Probes `pythonPath` (cached) unless the overrides fix every part; never rejects except on cancel. */
export interface ResolveOptions {
  signal?: AbortSignal;
  /** Where the user changes things: the messages name settings in VS Code and flags in the CLI. */
  face?: 'vscode' | 'cli';
  /** Use and keep the probe's answer on disk (see probePython's `persist`): for the CLI. */
  persistProbe?: boolean;
}

const ADVICE = {
  vscode: {
    choose: 'set headroom.footprint.pandasVersion to choose another',
    select: 'select an interpreter with "Python: Select Interpreter", or set headroom.python.path',
  },
  cli: { choose: 'pass --pandas to choose another', select: 'pass --python-path, or set HEADROOM_PYTHON' },
};

export async function resolvePandasModel(
  pythonPath: string,
  overrides: ModelOverrides = {},
  options: ResolveOptions = {},
): Promise<ModelResolution> {
  const { signal } = options;
  const advice = ADVICE[options.face ?? 'vscode'];
  if (allOverridden(overrides))
    return { model: applyOverrides(defaultModel(), overrides), source: 'override', probe: null };
  let probe: PythonProbe;
  try {
    probe = await probePython(pythonPath, { signal, persist: options.persistProbe });
  } catch (error) {
    if (error instanceof PythonError && error.code === 'cancelled') throw error;
    const model = applyOverrides(defaultModel(), overrides);
    const why = error instanceof PythonError ? `${error.message} (${advice.select})` : String(error);
    return { model, source: 'default', probe: null, message: `${why}. Sizes assume ${describeModel(model)}.` };
  }
  return probedModel(probe, overrides, options);
}

/** The model an interpreter's probe implies (resolvePandasModel once the probe has answered). */
export function probedModel(
  probe: PythonProbe,
  overrides: ModelOverrides = {},
  options: Pick<ResolveOptions, 'face'> = {},
): ModelResolution {
  const advice = ADVICE[options.face ?? 'vscode'];
  if (allOverridden(overrides))
    return { model: applyOverrides(defaultModel(), overrides), source: 'override', probe: null };
  if (probe.pandas === null) {
    const model = applyOverrides({ ...defaultModel(probe.python), pyarrow: probe.pyarrow }, overrides);
    const message = `pandas is not installed in ${probe.pythonPath} (Python ${probe.python}). Sizes assume ${describeModel(model)}, what \`pip install pandas\` gives; ${advice.choose}.`;
    return { model, source: 'default', probe, message };
  }
  const model = applyOverrides(
    { pandas: majorMinor(probe.pandas), python: probe.python, pyarrow: probe.pyarrow },
    overrides,
  );
  const overridden =
    isSet(overrides.pandas) ||
    isSet(overrides.python) ||
    (overrides.pyarrow !== undefined && overrides.pyarrow !== 'auto');
  return { model, source: overridden ? 'override' : 'interpreter', probe };
}

export function describeModel(model: PandasModel): string {
  return `pandas ${model.pandas} on Python ${model.python}${model.pyarrow ? ' with pyarrow' : ' without pyarrow'}`;
}
