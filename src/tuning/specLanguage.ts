/**
 * Hover and completion in NAME.tune.yaml|yml from the spec's JSON Schema, served by Headroom itself,
 * so they work without the YAML extension (which reads the `yamlValidation` contribution instead:
 * where it is installed, Headroom stays quiet rather than show everything twice). JSON specs get
 * both from VS Code's JSON support.
 */
import * as vscode from 'vscode';
import { specChecks } from '../lazyEngines';

const YAML_EXTENSION = 'redhat.vscode-yaml';
const YAML_SPECS: vscode.DocumentSelector = [{ scheme: 'file', pattern: '**/*.tune.{yaml,yml}' }];

const yamlExtensionServes = () => !!vscode.extensions.getExtension(YAML_EXTENSION);

class SpecHoverProvider implements vscode.HoverProvider {
  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    if (yamlExtensionServes()) return undefined;
    const { specHover } = await specChecks();
    const hover = specHover(document.getText(), document.offsetAt(position));
    if (!hover) return undefined;
    return new vscode.Hover(
      new vscode.MarkdownString(hover.markdown),
      new vscode.Range(document.positionAt(hover.start), document.positionAt(hover.end)),
    );
  }
}

class SpecCompletionProvider implements vscode.CompletionItemProvider {
  async provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.CompletionItem[] | undefined> {
    if (yamlExtensionServes()) return undefined;
    const { specCompletions } = await specChecks();
    const offset = document.offsetAt(position);
    return specCompletions(document.getText(), offset).map((c, i) => {
      const item = new vscode.CompletionItem(
        c.label,
        c.kind === 'field' ? vscode.CompletionItemKind.Property : vscode.CompletionItemKind.Value,
      );
      item.insertText = new vscode.SnippetString(c.insert);
      item.range = new vscode.Range(document.positionAt(c.replaceStart), position);
      item.detail = c.detail;
      item.documentation = new vscode.MarkdownString(c.documentation);
      item.sortText = String(i).padStart(3, '0');
      // A field that opens a block: show its fields at once.
      if (c.insert.includes('\n')) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
      return item;
    });
  }
}

export function registerSpecLanguage(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(YAML_SPECS, new SpecHoverProvider()),
    vscode.languages.registerCompletionItemProvider(YAML_SPECS, new SpecCompletionProvider(), ' '),
  );
}
