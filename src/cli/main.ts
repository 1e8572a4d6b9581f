// The `drydock` command. The engine is loaded only after the Node version check, so an unsupported Node gets one clear
// line instead of the AWS SDK's end-of-life warning on every run.
const minimumNodeMajor = 22;
const major = Number(process.versions.node.split('.')[0]);

if (major < minimumNodeMajor) {
  process.stderr.write(
    `drydock: Node.js ${minimumNodeMajor} or newer is needed; this is ${process.version}, past its end of life.\n` +
      '  From a Drydock clone, `npm run --silent drydock -- <args>` runs the CLI on the Node 24 the project installs,\n' +
      `  or install Node.js ${minimumNodeMajor}+ (https://nodejs.org) and run \`drydock\` again.\n`,
  );
  process.exitCode = 2;
} else {
  import('./run')
    .then(({ runCli }) => runCli(process.argv.slice(2)))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        process.stderr.write(`drydock: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      },
    );
}
