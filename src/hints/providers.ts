/** Inlay hints (or CodeLens, per `headroom.hints.style`) and hovers at dataset reads and parallel calls. */
import * as vscode from 'vscode';
import { FORGET_COMMAND, PICK_COMMAND } from './pickedFiles';
import type { HintsService, ReadHint } from './service';
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
        const hint = new vscode.InlayHint(r.range.end, inlayLabel(r));
        hint.paddingLeft = true;
        hint.tooltip = hintMarkdown(r.hover);
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
    return (this.service.hints(document)?.reads ?? []).flatMap((r) => {
      const lenses = [
        new vscode.CodeLens(r.range, { title: r.label, command: '', tooltip: 'Headroom: memory of this read' }),
      ];
      if (r.pick && (r.picked || !r.state)) {
        lenses.push(
          new vscode.CodeLens(r.range, {
            title: r.picked ? 'Pick another file…' : 'Pick the data file…',
            command: PICK_COMMAND,
            arguments: [r.pick],
            tooltip: 'Choose the file this call reads; Headroom remembers it for this call',
          }),
        );
      }
      return lenses;
    });
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
    if (read) return new vscode.Hover(hintMarkdown(read.hover), read.range);
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
    return new vscode.Hover(new vscode.MarkdownString(hints.engine.forecastHover(parallel.forecast, dataset)), range);
  }
}

/** Hover text that may carry the pick/forget command links (and no other command). */
export function hintMarkdown(text: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(text);
  markdown.isTrusted = { enabledCommands: [PICK_COMMAND, FORGET_COMMAND] };
  return markdown;
}

/** The label, plus a clickable "pick the file" part when the read's file is unknown or missing. */
function inlayLabel(r: ReadHint): string | vscode.InlayHintLabelPart[] {
  if (!r.pick || r.state) return r.inlayLabel;
  const part = new vscode.InlayHintLabelPart(' · pick file…');
  part.command = { title: 'Pick the data file…', command: PICK_COMMAND, arguments: [r.pick] };
  part.tooltip = 'Choose the file this call reads; Headroom remembers it for this call';
  return [new vscode.InlayHintLabelPart(r.inlayLabel), part];
}
