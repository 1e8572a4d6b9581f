import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('extension activation', () => {
  it('activates and registers its commands', async () => {
    const ext = vscode.extensions.getExtension('drydock.drydock');
    assert.ok(ext, 'extension drydock.drydock is installed');
    await ext.activate();
    assert.equal(ext.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['drydock.refreshClusters', 'drydock.refreshAws', 'drydock.showLog']) {
      assert.ok(commands.includes(id), `command ${id} is registered`);
    }
  });
});
