// Runs inside the real extension host (code-server, or desktop VS Code through test-electron).
// Suites are bundled into this file by esbuild and registered after mocha's globals exist.
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'exthost', mocha);
  require('./activation.test');
  require('./clusters.test');
  require('./awsTree.test');
  require('./localstackTree.test');
  require('./snapshots.test');
  require('./veleroLocations.test');
  require('./fifoConsent.test');
  require('./frozenEndpoints.test');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
  });
}
