import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { WebviewPageLoad } from './webviewChannel';

export interface WebviewPage {
  /** Bundle name: dist/webview/<bundle>.js and, when present, dist/webview/<bundle>.css. */
  bundle: string;
  title: string;
  /** Serialized into a data attribute, read once by the webview on start. */
  initialState?: unknown;
  hasCss?: boolean;
}

/** Webview options shared by every Headroom webview: scripts on, resources only from dist/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}

/**
 * HTML for a webview under a strict CSP: nothing by default, scripts only with this render's nonce,
 * styles and fonts only from the extension's dist/ folder.
 */
export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (path: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', path));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    // vscode-elements and uPlot set inline style attributes; scripts stay nonce-only.
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const state = page.initialState === undefined ? '' : escapeAttribute(JSON.stringify(page.initialState));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet">
${page.hasCss === false ? '' : `<link rel="stylesheet" href="${asset(`${page.bundle}.css`)}">`}
<title>${escapeAttribute(page.title)}</title>
</head>
<body data-state="${state}">
<script nonce="${nonce}" src="${asset(`${page.bundle}.js`)}"></script>
</body>
</html>`;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * What a WebviewChannel needs to load `page` into `webview` and load it again when its script stays
 * silent; the last failure is shown to the user with a way out.
 */
export function webviewPageLoad(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  page: WebviewPage,
  visible: () => boolean,
  replace?: () => void,
): WebviewPageLoad {
  return {
    render: () => renderWebviewHtml(webview, extensionUri, page),
    visible,
    replace,
    failed: (message) => {
      void vscode.window.showErrorMessage(message, 'Reload Window').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.action.reloadWindow');
      });
    },
  };
}

/**
 * A new panel of `old`'s type, title and options in `old`'s place, focused if `old` was; the caller
 * attaches it, then disposes `old` (WebviewPageLoad.replace).
 */
export function panelInPlaceOf(
  old: vscode.WebviewPanel,
  options: vscode.WebviewPanelOptions & vscode.WebviewOptions,
): vscode.WebviewPanel {
  const viewColumn = old.viewColumn ?? vscode.ViewColumn.Active;
  return vscode.window.createWebviewPanel(old.viewType, old.title, { viewColumn, preserveFocus: !old.active }, options);
}
