// Reference run of @openzeppelin/merkle-tree (npm, the library the contracts' proofs follow) on a leaf file,
// used by tests/oracle and benchmarks/merkle.py to check the Python tree against it and to time it.
//
// usage: node oracle/oz_reference.js VALUES_JSON OUT_JSON [--digest]
//   VALUES_JSON  {"leafEncoding": [...], "values": [[...], ...]}
//   OUT_JSON     receives {"root", "seconds", "proofs"} (every leaf's proof, in value order), or with --digest
//                {"root", "seconds", "proofsSha256"}: sha256 over every proof's nodes, in value order, so a
//                million proofs can be compared without writing them out.
// "seconds" covers building the tree and producing the proof of every leaf, not reading the file.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const { StandardMerkleTree } = require('@openzeppelin/merkle-tree');

const [input, output, flag] = process.argv.slice(2);
const { leafEncoding, values } = JSON.parse(fs.readFileSync(input, 'utf8'));
const digestOnly = flag === '--digest';

const started = process.hrtime.bigint();
const tree = StandardMerkleTree.of(values, leafEncoding);
const proofs = new Array(values.length);
for (let i = 0; i < values.length; i++) proofs[i] = tree.getProof(i);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

const result = { root: tree.root, seconds };
if (digestOnly) {
  const hash = crypto.createHash('sha256');
  for (const proof of proofs) for (const node of proof) hash.update(Buffer.from(node.slice(2), 'hex'));
  result.proofsSha256 = hash.digest('hex');
} else {
  result.proofs = proofs;
}
fs.writeFileSync(output, JSON.stringify(result));
