/**
 * Inverts a symmetric positive-definite `n × n` matrix (row-major, overwritten) by Cholesky:
 * A = L·Lᵀ, then A⁻¹ = L⁻ᵀ·L⁻¹. Returns the inverse in a new array. O(n³); used for the item-item
 * model, whose Gram matrix plus a ridge is SPD by construction.
 */
export function invertSpd(a: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let diag = a[rowJ + j];
    for (let k = 0; k < j; k++) {
      diag -= a[rowJ + k] * a[rowJ + k];
    }
    const ljj = Math.sqrt(Math.max(diag, 1e-12));
    a[rowJ + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = a[rowI + j];
      for (let k = 0; k < j; k++) {
        s -= a[rowI + k] * a[rowJ + k];
      }
      a[rowI + j] = s / ljj;
    }
  }
  // inv(L), lower triangular, row-major.
  const li = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    li[i * n + i] = 1 / a[i * n + i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) {
        s += a[i * n + k] * li[k * n + j];
      }
      li[i * n + j] = -s / a[i * n + i];
    }
  }
  // A⁻¹ = inv(L)ᵀ · inv(L): entry (i, j) = Σ_{k ≥ max(i, j)} li[k][i] · li[k][j].
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    for (let i = 0; i <= k; i++) {
      const lki = li[rowK + i];
      if (lki === 0) {
        continue;
      }
      const rowI = i * n;
      for (let j = 0; j <= i; j++) {
        out[rowI + j] += lki * li[rowK + j];
      }
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      out[j * n + i] = out[i * n + j];
    }
  }
  return out;
}
