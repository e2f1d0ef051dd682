using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastPrune.Kernels.Cpu;

/// <summary>
/// The two BLAS-1 loops of the triangular solves. Hand-written rather than TensorPrimitives because they are called
/// ~10⁵ times per solve on short rows: AggressiveOptimization gets them fully optimised on the first call, where
/// tiered JIT would run the first solves of a process through unoptimised code.
/// </summary>
internal static unsafe class VectorOps
{
    /// <summary>y += a·x over n floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Axpy(float* x, float a, float* y, int n)
    {
        int i = 0;
        var va = Vector512.Create(a);
        for (; i <= n - 16; i += 16)
            Vector512.Store(Vector512.FusedMultiplyAdd(Vector512.Load(x + i), va, Vector512.Load(y + i)), y + i);
        for (; i < n; i++)
            y[i] = MathF.FusedMultiplyAdd(x[i], a, y[i]);
    }

    /// <summary>y *= a over n floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Scale(float* y, float a, int n)
    {
        int i = 0;
        var va = Vector512.Create(a);
        for (; i <= n - 16; i += 16)
            Vector512.Store(Vector512.Load(y + i) * va, y + i);
        for (; i < n; i++)
            y[i] *= a;
    }
}
