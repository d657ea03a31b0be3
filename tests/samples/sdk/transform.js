// Run the official SDK's own Transformer (node-agent-sdk 1.2.0) over raw notification files:
//   node transform.js RAW OUT [RAW OUT ...]
// The SDK is the one tests/sdk installs (npm ci there first), or SDK_LIB=<package>/lib.
const fs = require('fs');
const path = require('path');
const lib = process.env.SDK_LIB || path.join(__dirname, '../../sdk/node_modules/node-agent-sdk/lib');
const Transformer = require(path.join(lib, 'Transformer.js'));
const agent = {__oldAgentId: '12345678.900', emit: (event, m) => console.error(event, JSON.stringify(m))};
const files = process.argv.slice(2);
for (let i = 0; i + 1 < files.length; i += 2) {
  const msg = JSON.parse(fs.readFileSync(files[i], 'utf8'));
  fs.writeFileSync(files[i + 1], JSON.stringify(Transformer[msg.type](msg, agent), null, 2) + '\n');
}
