import * as vscode from 'vscode';
import { detailedSummary, memoryPressure, shortSummary } from './core/monitor/summary';
import { monitorRamErrorPercent, monitorRamWarningPercent, monitorShowStatusBar } from './config';
import type { HeadroomContext } from './headroomContext';
import type { ResourceSample } from './core/monitor/sample';
import { topOwnersLine } from './monitor/ownersStatus';

/** The live CPU/RAM item; it turns amber, then red, as memory runs out, and reveals the sidebar on click. */
export function registerStatusBar({ context, monitor, owners }: HeadroomContext): void {
  const item = vscode.window.createStatusBarItem('headroom.monitor', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Headroom Resources';
  item.command = 'headroom.showResources';
  item.text = '$(pulse) Headroom';
  const consumer = monitor.register(enabled() ? 'status' : 'off');

  const render = (sample: ResourceSample) => {
    const pressure = memoryPressure(sample, monitorRamWarningPercent(), monitorRamErrorPercent());
    item.text = `$(pulse) ${shortSummary(sample)}`;
    item.backgroundColor =
      pressure === 'critical'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : pressure === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    const tooltip = new vscode.MarkdownString(detailedSummary(sample).join('\n'));
    const largest = owners.latest() && topOwnersLine(owners.latest()!);
    if (largest) tooltip.appendMarkdown(`\n\n${largest}`);
    tooltip.appendMarkdown('\n\n---\n\nClick to open the Headroom sidebar.');
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: `Headroom Resources: ${shortSummary(sample)}`, role: 'button' };
  };

  const apply = () => {
    if (enabled()) {
      consumer.setDetail('status');
      item.show();
    } else {
      consumer.setDetail('off');
      item.hide();
    }
  };
  apply();
  context.subscriptions.push(
    item,
    consumer,
    monitor.onSample(render),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('headroom.monitor.showStatusBar')) apply();
    }),
  );
}

const enabled = monitorShowStatusBar;
