/**
 * Which files Headroom treats as what, by name: the one definition the engine, the CLI and the VS Code
 * side (views, commands, watchers, file dialogs) all use. Content is checked where it matters (the
 * footprint engine reads magic bytes).
 */

/** A tuning spec: NAME.tune.yaml, .yml or .json. */
export const SPEC_FILE = /\.tune\.(ya?ml|json)$/i;
/** The same as a workspace glob. */
export const SPEC_GLOB = '**/*.tune.{yaml,yml,json}';
/** A spec the YAML extension would validate (the JSON ones VS Code validates itself). */
export const YAML_SPEC_FILE = /\.tune\.ya?ml$/i;

/** A dataset file the footprint engine sizes: CSV or TSV (optionally gzip-compressed), Parquet. */
export const DATASET_FILE = /\.(csv|tsv)(\.gz)?$|\.parquet$/i;
/** The default of `headroom.datasets.glob`: the same files as a workspace glob. */
export const DATASET_GLOB = '**/*.{csv,tsv,csv.gz,tsv.gz,parquet}';
/** The same files for a file dialog's filter (which matches the last extension only). */
export const DATASET_DIALOG_EXTENSIONS = ['csv', 'tsv', 'gz', 'parquet'];
/**
 * Files a pandas read call in a script may name and the hints then size: the datasets above and the
 * other names read_csv and read_parquet are commonly given (.txt, .pq, any .gz). Watched for changes.
 */
export const READ_CALL_DATA_GLOB = '**/*.{csv,tsv,txt,parquet,pq,gz}';
