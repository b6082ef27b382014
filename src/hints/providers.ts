/** Inlay hints (or CodeLens, per `headroom.hints.style`) and hovers at dataset reads and parallel calls. */
import * as vscode from 'vscode';
import { forecastHover } from '../core/hints';
import type { HintsService } from './service';
import { hintSettings } from './settings';

export class MemoryInlayHints implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;

  constructor(private readonly service: HintsService) {
    service.onDidChange(() => this.changed.fire());
  }

  provideInlayHints(document: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    const settings = hintSettings();
    if (!settings.enabled || !settings.memory || settings.style !== 'inlay') return [];
    const hints = this.service.hints(document);
    if (!hints) return [];
    return hints.reads
      .filter((r) => range.intersection(r.range))
      .map((r) => {
        const hint = new vscode.InlayHint(r.range.end, r.inlayLabel);
        hint.paddingLeft = true;
        hint.tooltip = new vscode.MarkdownString(r.hover);
        return hint;
      });
  }

  refresh(): void {
    this.changed.fire();
  }
}

export class MemoryCodeLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly service: HintsService) {
    service.onDidChange(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const settings = hintSettings();
    if (!settings.enabled || !settings.memory || settings.style !== 'codelens') return [];
    return (this.service.hints(document)?.reads ?? []).map(
      (r) => new vscode.CodeLens(r.range, { title: r.label, command: '', tooltip: 'Headroom: memory of this read' }),
    );
  }

  refresh(): void {
    this.changed.fire();
  }
}

export class MemoryHover implements vscode.HoverProvider {
  constructor(private readonly service: HintsService) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const settings = hintSettings();
    if (!settings.enabled || !settings.hover) return undefined;
    const hints = this.service.hints(document);
    if (!hints) return undefined;
    const offset = document.offsetAt(position);
    const read = settings.memory
      ? hints.reads.find((r) => offset >= r.call.span.start && offset <= r.call.span.end)
      : undefined;
    if (read) return new vscode.Hover(new vscode.MarkdownString(read.hover), read.range);
    if (!settings.nJobs) return undefined;
    const parallel = hints.parallel.find((p) => p.forecast && offset >= p.call.span.start && offset <= p.call.span.end);
    if (!parallel?.forecast || !parallel.dataset) return undefined;
    const range = new vscode.Range(
      document.positionAt(parallel.call.span.start),
      document.positionAt(parallel.call.span.end),
    );
    const dataset = parallel.dataset.resolution?.found
      ? parallel.dataset.resolution.file
      : (parallel.dataset.call.path ?? '');
    return new vscode.Hover(new vscode.MarkdownString(forecastHover(parallel.forecast, dataset)), range);
  }
}
