/**
 * Solves A x = b in place for a symmetric positive-definite `d × d` matrix A (row-major),
 * by Cholesky decomposition. Overwrites `a` with its factor and `b` with x. Ridge systems
 * (XᵀX + λI) are SPD for λ > 0, which is the only use here.
 */
export function solveSpdInPlace(a: Float64Array, b: Float64Array, d: number): void {
  for (let j = 0; j < d; j++) {
    let diag = a[j * d + j];
    for (let k = 0; k < j; k++) {
      diag -= a[j * d + k] * a[j * d + k];
    }
    const ljj = Math.sqrt(Math.max(diag, 1e-12));
    a[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) {
        s -= a[i * d + k] * a[j * d + k];
      }
      a[i * d + j] = s / ljj;
    }
  }
  for (let i = 0; i < d; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) {
      s -= a[i * d + k] * b[k];
    }
    b[i] = s / a[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < d; k++) {
      s -= a[k * d + i] * b[k];
    }
    b[i] = s / a[i * d + i];
  }
}
