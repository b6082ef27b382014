/**
 * The host's end of one webview's message channel, used by every Headroom webview (Resources view,
 * dataset panel, run panel):
 * - validation: what the webview sends is dropped (and logged) unless it is a known message with the
 *   fields its type says (the channel's validator, src/messages/*.ts);
 * - ready handshake: the webview's script says `ready` when it has loaded, and again each time it
 *   reloads (a view shown again after being hidden); until then nothing is posted into the void;
 * - replay: messages posted while the script was not ready are kept (the latest of each type) and
 *   sent on `ready`, followed by what the view needs whole (`replay()`: a snapshot, the history);
 * - load watch: a page whose script never says `ready` while it can be seen is loaded again. VS Code
 *   serves a webview's script through a service worker that sometimes never answers a request (the
 *   view stays blank: microsoft/vscode#125993, #140351; seen here in code-server on a busy machine),
 *   and only a fresh page asks again; a panel still silent after that is replaced by a new one.
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

/** How `load` (re)loads a page and when it waits for the page's script. */
export interface WebviewPageLoad {
  /** The page's HTML, rendered afresh (a new nonce) for each load. */
  render(): string;
  /** Whether the webview can be seen: a hidden one runs no script, so it is not waited for. */
  visible(): boolean;
  /** Called once when the page still has not loaded after the last try, with the words to show. */
  failed(message: string): void;
  /**
   * Puts a new webview in this one's place (a panel can; a view cannot), for a frame that renders no
   * page however often its HTML is set. Undefined for a webview that is itself such a replacement.
   */
  replace?(): void;
}

/** Waits before loading a silent page again, doubling each time; then gives up. */
export const LOAD_WAITS_MS = [8_000, 16_000, 32_000];

export class WebviewChannel<Host extends { type: string }, View extends { type: string }> implements vscode.Disposable {
  private ready = false;
  private kept: Host[] = [];
  private readonly subscription: vscode.Disposable;
  private page: WebviewPageLoad | undefined;
  private loads = 0;
  private watch: ReturnType<typeof setTimeout> | undefined;
  /** Counts the pages this webview has had: a `ready` whose replay outlived its page is stale. */
  private pageGeneration = 0;

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

  /** Sets the webview's HTML and waits for its script to say `ready`, loading it again if it never does. */
  load(page: WebviewPageLoad): void {
    this.page = page;
    this.loads = 0;
    this.ready = false;
    this.pageGeneration += 1;
    this.webview.html = page.render();
    this.awaitReady();
  }

  /** The script is gone (the view was hidden): keep messages until it says ready again. */
  notReady(): void {
    this.ready = false;
    this.pageGeneration += 1;
    clearTimeout(this.watch);
  }

  /** The view can be seen again: its page reloads, and its script must say ready. */
  shown(): void {
    if (!this.ready) this.awaitReady();
  }

  private awaitReady(): void {
    clearTimeout(this.watch);
    const wait = LOAD_WAITS_MS[this.loads];
    if (!this.page || wait === undefined) return;
    this.watch = setTimeout(() => this.onSilent(wait), wait);
  }

  private onSilent(waitedMs: number): void {
    const page = this.page;
    if (this.ready || !page || !page.visible()) return;
    this.loads += 1;
    // Silent twice: setting its HTML again did not help, so the frame itself is taken as stuck (seen in
    // code-server, where every webview has one origin, after a window reload restored several panels at
    // once: three loads of the HTML rendered nothing). A new webview gets a new frame.
    if (this.loads === 2 && page.replace) {
      this.options.log.warn(`${this.options.name} did not load within ${waitedMs / 1000} s again; opening it afresh`);
      page.replace();
      return;
    }
    if (this.loads < LOAD_WAITS_MS.length) {
      this.options.log.warn(`${this.options.name} did not load within ${waitedMs / 1000} s; loading it again`);
      this.pageGeneration += 1;
      this.webview.html = page.render();
      this.awaitReady();
      return;
    }
    const message = `${this.options.name} did not load after ${this.loads} tries. Reloading the window may help.`;
    this.options.log.error(message);
    page.failed(message);
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
    // The page loaded: stop watching before the replay, which may take a while.
    clearTimeout(this.watch);
    this.loads = 0;
    const generation = this.pageGeneration;
    const replay = await this.options.replay();
    // The page went away while the replay was built (hidden, or loaded again): the next page's own
    // `ready` replays; marking this one ready would post into the void and stop the load watch.
    if (generation !== this.pageGeneration) return;
    const replaced = new Set([...replay.map((m) => m.type), ...(this.options.supersededByReplay ?? [])]);
    const kept = this.kept.filter((m) => !replaced.has(m.type));
    this.kept = [];
    this.ready = true;
    for (const message of [...kept, ...replay]) void this.webview.postMessage(message);
  }

  dispose(): void {
    clearTimeout(this.watch);
    this.subscription.dispose();
  }
}
