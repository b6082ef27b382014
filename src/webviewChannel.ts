/**
 * The host's end of one webview's message channel, used by every Headroom webview (Resources view,
 * dataset panel, run panel):
 * - validation: what the webview sends is dropped (and logged) unless it is a known message with the
 *   fields its type says (the channel's validator, src/messages/*.ts);
 * - ready handshake: the webview's script says `ready` when it has loaded, and again each time it
 *   reloads (a view shown again after being hidden); until then nothing is posted into the void;
 * - replay: messages posted while the script was not ready are kept (the latest of each type) and
 *   sent on `ready`, followed by what the view needs whole (`replay()`: a snapshot, the history).
 */
import type * as vscode from 'vscode';

type Ready = { type: 'ready' };

export interface WebviewChannelOptions<Host extends { type: string }, View extends { type: string }> {
  /** For the log: which webview this is. */
  name: string;
  log: vscode.LogOutputChannel;
  validate(value: unknown): value is View;
  /** What the view needs whole after its script (re)loaded, posted after the kept messages. */
  replay(): Host[] | Promise<Host[]>;
  /** Kept messages of these types are dropped on `ready`: the replay holds what they said. */
  supersededByReplay?: Host['type'][];
  /** Every validated message but `ready`. */
  receive(message: Exclude<View, Ready>): void | Promise<void>;
}

export class WebviewChannel<Host extends { type: string }, View extends { type: string }> implements vscode.Disposable {
  private ready = false;
  private kept: Host[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly options: WebviewChannelOptions<Host, View>,
  ) {
    this.subscription = webview.onDidReceiveMessage((message: unknown) => void this.onMessage(message));
  }

  /** Posts now, or keeps it (the latest of its type) until the script is ready. */
  post(message: Host): void {
    if (!this.ready) {
      this.kept = [...this.kept.filter((m) => m.type !== message.type), message];
      return;
    }
    void this.webview.postMessage(message);
  }

  /** The script is gone (the view was hidden): keep messages until it says ready again. */
  notReady(): void {
    this.ready = false;
  }

  private async onMessage(value: unknown): Promise<void> {
    if (!this.options.validate(value)) {
      this.options.log.warn(`${this.options.name} sent an unknown message; ignored`);
      return;
    }
    if (value.type !== 'ready') {
      await this.options.receive(value as Exclude<View, Ready>);
      return;
    }
    const replay = await this.options.replay();
    const replaced = new Set([...replay.map((m) => m.type), ...(this.options.supersededByReplay ?? [])]);
    const kept = this.kept.filter((m) => !replaced.has(m.type));
    this.kept = [];
    this.ready = true;
    for (const message of [...kept, ...replay]) void this.webview.postMessage(message);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
