// compile.js SOLC_MODULE_DIR OUT_DIR
//
// Compiles src/Outbox.sol and src/Inbox.sol with the solc-js module at
// SOLC_MODULE_DIR through the standard-JSON interface and writes
// OUT_DIR/<Contract>.json for each contract. scripts/solc.sh installs the
// pinned compiler and calls this; run that instead of calling it directly.
//
// The output is deterministic: sources are passed by bare file name (no
// checkout path), the metadata hash is left out of the bytecode, keys are
// written in a fixed order and nothing records a time.
'use strict';

const fs = require('fs');
const path = require('path');

const CONTRACTS = ['Outbox', 'Inbox'];
const SOLC_VERSION = '0.8.37';
// istanbul: no PUSH0, BASEFEE or transient storage, so the bytecode runs on
// GoQuorum/Besu networks as well as on geth. solc warns that EVM versions
// before london are deprecated; that one warning is expected and dropped.
const EVM_VERSION = 'istanbul';
const EXPECTED_WARNING = /^Support for EVM versions older than london is deprecated/;
const OPTIMIZER = { enabled: true, runs: 200 };

function fail(message) {
  process.stderr.write(`compile.js: ${message}\n`);
  process.exit(1);
}

// sortKeys returns a copy of v with every object's keys in sorted order, so
// the JSON text does not depend on the order the compiler used.
function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

function main(argv) {
  if (argv.length !== 2) fail('usage: node compile.js SOLC_MODULE_DIR OUT_DIR');
  const [solcDir, outDir] = argv;
  const solc = require(path.resolve(solcDir));
  const version = solc.version();
  if (!version.startsWith(SOLC_VERSION + '+')) {
    fail(`want solc ${SOLC_VERSION}, got ${version} from ${solcDir}`);
  }

  const sources = {};
  for (const name of CONTRACTS) {
    const file = `${name}.sol`;
    sources[file] = { content: fs.readFileSync(path.join(__dirname, 'src', file), 'utf8') };
  }
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      evmVersion: EVM_VERSION,
      optimizer: OPTIMIZER,
      metadata: { bytecodeHash: 'none' },
      outputSelection: {
        '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] },
      },
    },
  };

  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const problems = (output.errors || []).filter(
    (e) => e.severity !== 'info' && !(e.severity === 'warning' && EXPECTED_WARNING.test(e.message)),
  );
  for (const e of problems) process.stderr.write((e.formattedMessage || e.message).trimEnd() + '\n');
  const errors = problems.filter((e) => e.severity === 'error').length;
  if (errors > 0) fail(`${errors} error(s), ${problems.length - errors} warning(s) from solc`);
  if (problems.length > 0) fail(`${problems.length} warning(s) from solc; fix them`);

  fs.mkdirSync(outDir, { recursive: true });
  for (const name of CONTRACTS) {
    const c = output.contracts[`${name}.sol`][name];
    const artifact = {
      contractName: name,
      compiler: `solc-js ${version}`,
      evmVersion: EVM_VERSION,
      optimizer: OPTIMIZER,
      abi: sortKeys(c.abi),
      bytecode: '0x' + c.evm.bytecode.object,
      deployedBytecode: '0x' + c.evm.deployedBytecode.object,
    };
    const dest = path.join(outDir, `${name}.json`);
    const tmp = `${dest}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(artifact, null, 2) + '\n');
    fs.renameSync(tmp, dest);
  }
}

main(process.argv.slice(2));
