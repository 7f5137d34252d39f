import * as tf from '@tensorflow/tfjs';

// tfjs 4.22 differentiates sigmoid, tanh, exp and elu through their saved *output*, a copy
// that is not connected to the input on the tape: a gradient of their gradient (second-order
// MAML through an inner step) silently loses their curvature term (the canary test shows it
// is exactly zero). Each function below has the same forward value, and a gradient computed
// from the input with the safe functions themselves, so derivatives of any order are right.

type Unary = (x: tf.Tensor) => tf.Tensor;

/** Wraps `forward` with a gradient `dy * derivative(x)`, built from differentiable ops on `x`. */
function withInputGradient(forward: Unary, derivative: Unary): Unary {
  const op = tf.customGrad((...args) => {
    const x = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    // save() keeps a tape-connected copy alive until backprop; a closure over x would not
    // survive when x is an intermediate disposed by the tidy of an inner gradient.
    save([x]);
    return { value: forward(x), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, derivative(saved[0])) };
  });
  return (x) => op(x);
}

/** `1 / (1 + e^-x)`, differentiable to any order (d/dx = s(1 - s)). */
export const safeSigmoid: Unary = withInputGradient(
  (x) => tf.sigmoid(x),
  (x) => {
    const s = safeSigmoid(x);
    return tf.mul(s, tf.sub(1, s));
  },
);

/** `tanh(x)`, differentiable to any order (d/dx = 1 - tanh²). */
export const safeTanh: Unary = withInputGradient(
  (x) => tf.tanh(x),
  (x) => tf.sub(1, tf.square(safeTanh(x))),
);

/** `e^x`, differentiable to any order. */
export const safeExp: Unary = withInputGradient(
  (x) => tf.exp(x),
  (x) => safeExp(x),
);

/**
 * ELU (alpha 1): `x` for x > 0, `e^x - 1` otherwise; differentiable to any order. The
 * derivative's negative branch takes `min(x, 0)` so the unused branch never overflows to
 * `Infinity` (0 × Infinity would make its own gradient NaN).
 */
export const safeElu: Unary = withInputGradient(
  (x) => tf.elu(x),
  (x) => {
    // Only ops whose own gradients are differentiable: step (1 for x > 0, zero gradient) and
    // min(x, 0) as -relu(-x). tf.greater/tf.where/tf.minimum put Greater or LessEqual (no
    // gradient) on the tape and break the next derivative.
    const positive = tf.step(x);
    const negativePart = tf.neg(tf.relu(tf.neg(x)));
    return tf.add(positive, tf.mul(tf.sub(1, positive), safeExp(negativePart)));
  },
);
