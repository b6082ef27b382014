/**
 * What the hint providers show for one document, computed synchronously from caches (the parse of
 * this version, the footprints known so far) so providers answer at once; slow work (loading the
 * parser, the pandas model, quick and exact footprints) runs in the background and fires onDidChange.
 */
import { cpus } from 'node:os';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../core/format';
import type { PandasModel } from '../core/footprint/types';
import type {
  AnalysisCache,
  ApplicablePlan,
  Forecast,
  Oversubscription,
  ParallelCall,
  ReadCall,
  Resolution,
  SourceAnalysis,
} from '../core/hints';
import { hintsEngine, type HintsEngine } from '../lazyEngines';
import type { HeadroomContext } from '../headroomContext';
import { FootprintCache, type FootprintState } from './footprints';
import { inlayHintMaxLength } from '../config';
import { commandLink, FORGET_COMMAND, PICK_COMMAND, type PickArgs, type PickedDataFiles } from './pickedFiles';
import { hintSettings } from './settings';
import { errorForCall, errorLabel } from './errorText';

export interface ReadHint {
  call: ReadCall;
  range: vscode.Range;
  resolution?: Resolution;
  state?: FootprintState;
  applicable?: ApplicablePlan;
  /** Everything, for CodeLens and logs. */
  label: string;
  /** Shortened to fit the inlay hint length limit. */
  inlayLabel: string;
  hover: string;
  /** Where the user can pick the file this read opens (its path is unknown or not found); absent for URLs. */
  pick?: PickArgs;
  /** The file was picked by the user for this call. */
  picked?: boolean;
}

export interface ParallelHint {
  call: ParallelCall;
  forecast?: Forecast;
  /** The read whose frame the forecast uses (the largest one sized in this file or notebook). */
  dataset?: ReadHint;
  /** The document holding that read (another cell, in a notebook). */
  datasetDocument?: vscode.TextDocument;
  oversubscription: Oversubscription[];
}

export interface DocumentHints {
  reads: ReadHint[];
  parallel: ParallelHint[];
  /** The hints engine that found them (loaded by then), for the edits and texts built from them. */
  engine: HintsEngine;
}

export class HintsService implements vscode.Disposable {
  private engine: HintsEngine | undefined;
  private cache: AnalysisCache | undefined;
  private model: PandasModel | undefined;
  private modelError: string | undefined;
  private loading = false;
  private loadingModel = false;
  private readonly subscriptions: vscode.Disposable[] = [];
  readonly footprints: FootprintCache;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when anything a provider shows may have changed (parser ready, footprint arrived, file changed). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly headroom: HeadroomContext,
    private readonly picked: PickedDataFiles,
  ) {
    this.footprints = new FootprintCache(headroom.log, headroom.footprints, () => hintSettings().refineToExact);
    this.subscriptions.push(
      picked.onDidChange(() => this.changed.fire()),
      this.footprints.onDidChange(() => this.changed.fire()),
      headroom.python.onDidChange(() => {
        this.model = undefined;
        this.loadingModel = false;
        this.changed.fire();
      }),
    );
  }

  /** Starts the parser and the pandas model on first use; providers get undefined until then. */
  private ensureLoaded(): boolean {
    if (!this.loading) {
      this.loading = true;
      hintsEngine()
        .then(async (engine) => {
          const parser = await engine.getPythonParser();
          this.engine = engine;
          this.cache = new engine.AnalysisCache(parser);
          this.changed.fire();
        })
        .catch((error: unknown) => this.headroom.log.error('hints: the Python parser did not load', error));
    }
    if (!this.model && !this.loadingModel) {
      this.loadingModel = true;
      this.headroom.python.pandasModel().then(
        (model) => {
          this.model = model;
          this.modelError = undefined;
          this.changed.fire();
        },
        (error: unknown) => {
          this.modelError = error instanceof Error ? error.message : String(error);
          this.headroom.log.error('hints: no pandas model', error);
        },
      );
    }
    return !!this.cache && !!this.model;
  }

  noteChanges(event: vscode.TextDocumentChangeEvent): void {
    if (!this.cache || event.contentChanges.length === 0) return;
    this.cache.noteChanges(event.document.uri.toString(), event.document.version - 1, event.contentChanges);
  }

  forget(document: vscode.TextDocument): void {
    this.cache?.forget(document.uri.toString());
  }

  private analysis(document: vscode.TextDocument): SourceAnalysis | undefined {
    if (!this.ensureLoaded() || !this.engine?.loadedPythonParser()) return undefined;
    const { emptyImports, mergeImports } = this.engine;
    const notebook = notebookOf(document);
    if (!notebook) return this.cache!.analyze(document.uri.toString(), document.version, document.getText());
    // Cells share one kernel: imports made in any cell apply to every cell; names set in the cells
    // above (run first, as usual) apply to this one.
    let imports = emptyImports();
    const cells = pythonCells(notebook);
    const index = cells.indexOf(document);
    for (const cell of cells) {
      if (cell === document) continue;
      imports = mergeImports(imports, this.cache!.analyze(cell.uri.toString(), cell.version, cell.getText()).imports);
    }
    let constants: SourceAnalysis['constants'] = {};
    for (const cell of cells.slice(0, Math.max(0, index))) {
      const above = this.cache!.analyze(cell.uri.toString(), cell.version, cell.getText(), {
        imports,
        constants,
        exportConstants: true,
      });
      constants = { ...constants, ...above.constants };
    }
    return this.cache!.analyze(document.uri.toString(), document.version, document.getText(), { imports, constants });
  }

  hints(document: vscode.TextDocument): DocumentHints | undefined {
    const analysis = this.analysis(document);
    const engine = this.engine;
    if (!analysis || !engine) return undefined;
    const reads = analysis.reads.map((call) => this.readHint(engine, document, call, analysis.reads));
    const parallel = analysis.parallel.map((call) => this.parallelHint(engine, document, call, reads));
    return { reads, parallel, engine };
  }

  private readHint(
    engine: HintsEngine,
    document: vscode.TextDocument,
    call: ReadCall,
    reads: readonly ReadCall[],
  ): ReadHint {
    const { applicablePlan, hintLabel, hoverMarkdown, missingHover, missingInlayLabel, missingLabel, resolveDataPath } =
      engine;
    const range = new vscode.Range(document.positionAt(call.span.start), document.positionAt(call.span.end));
    const notebook = notebookOf(document);
    const owner = notebook?.uri ?? document.uri;
    let resolution: Resolution | undefined;
    if (call.path !== null) {
      const folder = vscode.workspace.getWorkspaceFolder(owner) ?? vscode.workspace.workspaceFolders?.[0];
      resolution = resolveDataPath({
        path: call.path,
        anchor: call.pathAnchor,
        documentPath: owner.scheme === 'file' ? owner.fsPath : undefined,
        kind: notebook ? 'notebook' : 'script',
        workspaceFolder: folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined,
      });
    }
    // Only where Headroom cannot find the file itself: the user may pick it (not for a URL).
    const pick =
      call.remote || resolution?.found
        ? undefined
        : this.picked.args(owner, engine.callSiteKey(document.getText(), reads, call));
    const pickedFile = pick ? this.picked.get(pick) : undefined;
    if (pickedFile) resolution = { found: true, file: pickedFile, tried: [pickedFile], base: 'picked' };
    const maxLength = inlayHintMaxLength(document);
    if (!resolution?.found) {
      const label = missingLabel(call, resolution);
      const hover = missingHover(call, resolution) + (pick ? pickLinks(pick, false) : '');
      return {
        call,
        range,
        resolution,
        label,
        inlayLabel: missingInlayLabel(call, resolution, maxLength),
        hover,
        pick,
      };
    }
    const picked = resolution.base === 'picked';
    const links = pick && (picked || call.path === null) ? pickLinks(pick, picked) : '';
    const state = this.footprints.get(resolution.file, call.read, this.model!);
    if (!state.result) {
      // A picked file is not the one the call names: its messages keep the path Headroom opened.
      const own = !picked && call.path !== null;
      const named = own && call.path !== null ? call.path : basename(resolution.file);
      const error = state.error && errorForCall(state.error, own ? resolution.file : '', named);
      const label = error ? errorLabel(error, named) : `sizing ${basename(resolution.file)}…`;
      return {
        call,
        range,
        resolution,
        state,
        label,
        inlayLabel: label,
        hover: missingHover(call, resolution, error) + links,
        pick,
        picked,
      };
    }
    const applicable = state.plan ? applicablePlan(call, state.plan) : undefined;
    return {
      call,
      range,
      resolution,
      state,
      applicable,
      label: hintLabel(state.result, applicable, call),
      inlayLabel: hintLabel(state.result, applicable, call, maxLength),
      hover: hoverMarkdown(state.result, applicable, call, resolution.file) + links,
      pick,
      picked,
    };
  }

  private parallelHint(
    engine: HintsEngine,
    document: vscode.TextDocument,
    call: ParallelCall,
    reads: ReadHint[],
  ): ParallelHint {
    const cores = cpus().length;
    const oversubscription = engine.nestedParallelism(call, cores);
    const hint: ParallelHint = { call, oversubscription };
    const candidates: { read: ReadHint; document: vscode.TextDocument }[] = reads.map((read) => ({ read, document }));
    const notebook = notebookOf(document);
    if (notebook) {
      for (const cell of pythonCells(notebook)) {
        if (cell === document) continue;
        const analysis = this.analysis(cell);
        analysis?.reads.forEach((r) =>
          candidates.push({ read: this.readHint(engine, cell, r, analysis.reads), document: cell }),
        );
      }
    }
    const sized = candidates.filter((c) => c.read.state?.result);
    if (sized.length === 0 || call.nJobs === undefined || call.nJobs.value === undefined) return hint;
    const best = sized.reduce((a, b) => (b.read.state!.result!.totalBytes > a.read.state!.result!.totalBytes ? b : a));
    const available = this.headroom.monitor.latest()?.memory.availableBytes;
    if (available === undefined) {
      void this.headroom.monitor.sampleOnce().then(() => this.changed.fire());
      return hint;
    }
    hint.dataset = best.read;
    hint.datasetDocument = best.document;
    hint.forecast = engine.forecastParallel(
      call,
      engine.frameFacts(best.read.state!.result!),
      { cpus: cores, availableBytes: available },
      formatBytes,
    );
    return hint;
  }

  /** Why nothing is shown, for the log and the hover (no model, parser failed). */
  get problem(): string | undefined {
    return this.modelError;
  }

  fireChanged(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.cache?.dispose();
    this.footprints.dispose();
    this.changed.dispose();
  }
}

function pickLinks(pick: PickArgs, picked: boolean): string {
  return picked
    ? `\n\nYou picked this file for this call: ${commandLink('Pick another…', PICK_COMMAND, pick)} · ${commandLink('Forget', FORGET_COMMAND, pick)}`
    : `\n\n${commandLink('Pick the data file this call reads…', PICK_COMMAND, pick)} (remembered for this call)`;
}

export function notebookOf(document: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (document.uri.scheme !== 'vscode-notebook-cell') return undefined;
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((cell) => cell.document === document));
}

function pythonCells(notebook: vscode.NotebookDocument): vscode.TextDocument[] {
  return notebook
    .getCells()
    .filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python')
    .map((c) => c.document);
}
