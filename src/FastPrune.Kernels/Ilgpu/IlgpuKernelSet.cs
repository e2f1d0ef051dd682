using ILGPU;
using ILGPU.Runtime;

namespace FastPrune.Kernels.Ilgpu;

/// <summary>Every kernel of this library, compiled once per accelerator when the engine starts.</summary>
internal sealed class IlgpuKernelSet
{
    internal IlgpuKernelSet(Accelerator acc)
    {
        Gram = acc.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<double>, GramArgs>(GramKernels.GramKernel);
        Gather = acc.LoadAutoGroupedStreamKernel<Index2D, ArrayView<double>, ArrayView<double>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<float>, GatherArgs>(GramKernels.GatherKernel);
        FactorDiag = acc.LoadStreamKernel<ArrayView<float>, ArrayView<int>, ArrayView<int>, int>(CholeskyKernels.FactorDiagKernel);
        Forward = acc.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<int>, int, int>(CholeskyKernels.ForwardKernel);
        Backward = acc.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<int>, int>(CholeskyKernels.BackwardKernel);
        Update = acc.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<int>, int>(CholeskyKernels.UpdateKernel);
    }

    internal Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<double>, GramArgs> Gram { get; }

    internal Action<Index2D, ArrayView<double>, ArrayView<double>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<float>, GatherArgs> Gather { get; }

    internal Action<KernelConfig, ArrayView<float>, ArrayView<int>, ArrayView<int>, int> FactorDiag { get; }

    internal Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<int>, int, int> Forward { get; }

    internal Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<int>, int> Backward { get; }

    internal Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<int>, int> Update { get; }
}
