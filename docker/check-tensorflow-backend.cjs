// Image build check (docker/Dockerfile*, runtime stage) and its host reproduction (tools/images):
// the app's own @tensorflow/tfjs, resolved from the working directory as the app resolves it, gets
// the `tensorflow` backend from the tfjs-node package named on the command line and computes a
// second-order gradient on it. Fails (exit 1) when the addon or TensorFlow's library is missing or
// broken, or when tfjs-node registered into another tfjs-core copy than the app's.
// Usage: node check-tensorflow-backend.cjs @tensorflow/tfjs-node|@tensorflow/tfjs-node-gpu
'use strict';
const { createRequire } = require('node:module');
const path = require('node:path');

const packageName = process.argv[2];
if (packageName !== '@tensorflow/tfjs-node' && packageName !== '@tensorflow/tfjs-node-gpu') {
  console.error('usage: node check-tensorflow-backend.cjs @tensorflow/tfjs-node|@tensorflow/tfjs-node-gpu');
  process.exit(2);
}
const appRequire = createRequire(path.join(process.cwd(), 'check-tensorflow-backend.cjs'));

async function main() {
  const tf = appRequire('@tensorflow/tfjs');
  const tfjsNode = appRequire(packageName);
  if (!(await tf.setBackend('tensorflow'))) throw new Error('tf.setBackend(tensorflow) returned false');
  // d²/dx² Σx³ = 6x: a grad of a grad, as the meta-step takes.
  const x = tf.tensor1d([1, -2, 0.5]);
  const second = tf.grad((v) => tf.grad((w) => tf.sum(tf.pow(w, 3)))(v).sum())(x).arraySync();
  const expected = [6, -12, 3];
  if (second.some((v, i) => Math.abs(v - expected[i]) > 1e-4)) throw new Error(`second derivative ${JSON.stringify(second)}, expected ${JSON.stringify(expected)}`);
  const product = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]])).arraySync();
  if (product[0][0] !== 17 || product[1][0] !== 39) throw new Error(`matMul ${JSON.stringify(product)}, expected [[17],[39]]`);
  console.log(JSON.stringify({ package: packageName, tfjsNode: tfjsNode.version['tfjs-node'], backend: tf.getBackend(), tensorflow: tf.backend().binding.TF_Version }));
}

main().catch((e) => {
  console.error(`${packageName}: the tensorflow backend does not work here: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
