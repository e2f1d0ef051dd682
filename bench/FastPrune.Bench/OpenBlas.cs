using System.Runtime.InteropServices;

namespace FastPrune.Bench;

/// <summary>
/// OpenBLAS (Debian's libopenblas0-pthread) loaded at run time as the baseline for the lstsq bench; bench-only, never
/// a library dependency. LAPACK comes as Fortran symbols from OpenBLAS's liblapack.so.3 (Debian ships no LAPACKE there).
/// </summary>
internal static unsafe class OpenBlas
{
    private const int RowMajor = 101, Upper = 121, NoTrans = 111, Trans = 112;
    private static readonly string[] BlasPaths =
    {
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
        "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "libopenblas.so.0",
    };
    private static readonly string[] LapackPaths =
    {
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/liblapack.so.3",
        "liblapack.so.3",
    };

    // void cblas_ssyrk(order, uplo, trans, int n, int k, float alpha, const float* a, int lda, float beta, float* c, int ldc)
    private static delegate* unmanaged<int, int, int, int, int, float, float*, int, float, float*, int, void> _ssyrk;
    // void cblas_sgemm(order, transA, transB, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc)
    private static delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    // void spotrf_(const char* uplo, const int* n, float* a, const int* lda, int* info, size_t uplo_len)
    private static delegate* unmanaged<byte*, int*, float*, int*, int*, nint, void> _spotrf;
    // void spotrs_(const char* uplo, const int* n, const int* nrhs, const float* a, const int* lda, float* b, const int* ldb, int* info, size_t uplo_len)
    private static delegate* unmanaged<byte*, int*, int*, float*, int*, float*, int*, int*, nint, void> _spotrs;
    // char* openblas_get_corename(void)
    private static delegate* unmanaged<byte*> _corename;

    /// <summary>Loads the libraries; false (with a reason) when OpenBLAS is not installed.</summary>
    internal static bool TryLoad(out string reason)
    {
        reason = "";
        if (_ssyrk != null)
            return true;
        nint blas = BlasPaths.Select(p => NativeLibrary.TryLoad(p, out var h) ? h : 0).FirstOrDefault(h => h != 0);
        nint lapack = LapackPaths.Select(p => NativeLibrary.TryLoad(p, out var h) ? h : 0).FirstOrDefault(h => h != 0);
        if (blas == 0 || lapack == 0)
        {
            reason = "libopenblas.so.0 / liblapack.so.3 not found (apt-get install libopenblas0-pthread)";
            return false;
        }
        _ssyrk = (delegate* unmanaged<int, int, int, int, int, float, float*, int, float, float*, int, void>)NativeLibrary.GetExport(blas, "cblas_ssyrk");
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)NativeLibrary.GetExport(blas, "cblas_sgemm");
        _corename = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(blas, "openblas_get_corename");
        _spotrf = (delegate* unmanaged<byte*, int*, float*, int*, int*, nint, void>)NativeLibrary.GetExport(lapack, "spotrf_");
        _spotrs = (delegate* unmanaged<byte*, int*, int*, float*, int*, float*, int*, int*, nint, void>)NativeLibrary.GetExport(lapack, "spotrs_");
        return true;
    }

    internal static string CoreName => Marshal.PtrToStringAnsi((nint)_corename()) ?? "?";

    /// <summary>G = XᵀX (upper) and H = XᵀY for row-major X (rows×cols), Y (rows×rhs).</summary>
    internal static void Gram(float[] x, float[] y, int rows, int cols, int rhs, float[] g, float[] h)
    {
        fixed (float* px = x, py = y, pg = g, ph = h)
        {
            _ssyrk(RowMajor, Upper, Trans, cols, rows, 1f, px, cols, 0f, pg, cols);
            _sgemm(RowMajor, Trans, NoTrans, cols, rhs, rows, 1f, px, cols, py, rhs, 0f, ph, rhs);
        }
    }

    /// <summary>Cholesky solve of symmetric A (n×n, full) with B column-major (n×m); returns LAPACK's info.</summary>
    internal static int Solve(float[] a, float[] bColumnMajor, int n, int m)
    {
        byte uplo = (byte)'L';
        int info = 0, nn = n, mm = m;
        fixed (float* pa = a, pb = bColumnMajor)
        {
            _spotrf(&uplo, &nn, pa, &nn, &info, 1);
            if (info != 0)
                return info;
            _spotrs(&uplo, &nn, &mm, pa, &nn, pb, &nn, &info, 1);
        }
        return info;
    }
}
