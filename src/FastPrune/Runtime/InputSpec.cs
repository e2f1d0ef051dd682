using System.Collections.Immutable;
using FastPrune.Graph;
using FastPrune.Graph.Onnx;

namespace FastPrune.Runtime;

/// <summary>One graph input at a concrete batch: the tensor a benchmark allocates and feeds.</summary>
/// <param name="Name">The graph input's name.</param>
/// <param name="ElementType">ONNX element type (a <see cref="TensorProto.Types.DataType"/> value).</param>
/// <param name="Shape">Concrete shape, batch first.</param>
internal sealed record InputSpec(string Name, int ElementType, ImmutableArray<long> Shape)
{
    /// <summary>Elements in the tensor.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, d) => checked(a * d));

    /// <summary>
    /// The model's graph inputs (initializers listed as inputs excluded) at batch <paramref name="batch"/>.
    /// The first dimension is the batch: a symbolic or unknown first dimension becomes
    /// <paramref name="batch"/>; a fixed one must equal it. Every other dimension must be fixed, since a
    /// benchmark has no way to choose a sequence length or an image size for the user.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="batch">Images per run, at least 1.</param>
    /// <returns>One spec per graph input, in graph order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batch"/> is below 1.</exception>
    /// <exception cref="BenchmarkException">An input cannot take the batch (<see cref="BenchmarkFailure.UnsupportedInput"/>).</exception>
    public static IReadOnlyList<InputSpec> ForBatch(OnnxModel model, int batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        var initializers = model.Proto.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var specs = new List<InputSpec>();
        foreach (var input in model.Proto.Graph.Input)
        {
            if (initializers.Contains(input.Name)) continue; // an old exporter's overridable initializer
            var given = model.ShapeOptions.InputShapes.FirstOrDefault(o => o.Name == input.Name || o.Name is null);
            specs.Add(Resolve(model.DisplayName, input, batch, given?.Dims));
        }
        if (specs.Count == 0)
            throw Unsupported(model.DisplayName, "the model has no graph input to feed");
        return specs;
    }

    /// <summary>The batch the model's first fed input fixes (older exporters: 1), or null when its batch is dynamic.</summary>
    /// <param name="model">The model.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    public static int? FixedBatch(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var initializers = model.Proto.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var first = model.Proto.Graph.Input.FirstOrDefault(i => !initializers.Contains(i.Name));
        var dims = first?.Type?.TensorType?.Shape?.Dim;
        // A batch beyond int is left to ForBatch, which refuses it by name.
        return dims is { Count: > 0 } && dims[0].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue
            && dims[0].DimValue is >= 1 and <= int.MaxValue ? (int)dims[0].DimValue : null;
    }

    private static InputSpec Resolve(string file, ValueInfoProto input, int batch, IReadOnlyList<long>? given)
    {
        if (input.Type?.ValueCase != TypeProto.ValueOneofCase.TensorType)
            throw Unsupported(file, $"input '{input.Name}' is not a tensor");
        var tensor = input.Type.TensorType;
        int elementType = tensor.ElemType;
        if (Graph.ElementType.SizeOf(elementType) == 0)
            throw Unsupported(file, $"input '{input.Name}' has element type {Graph.ElementType.Name(elementType)}, which a benchmark cannot fill");
        if (tensor.Shape is null)
            throw Unsupported(file, $"input '{input.Name}' declares no shape, so it has no batch dimension");
        var dims = tensor.Shape.Dim;
        if (dims.Count == 0)
            throw Unsupported(file, $"input '{input.Name}' is a scalar, so it has no batch dimension");
        if (given is not null && given.Count != dims.Count)
            throw Unsupported(file, $"input '{input.Name}' has rank {dims.Count}, --input-shape gives {given.Count} dims");
        var shape = ImmutableArray.CreateBuilder<long>(dims.Count);
        for (int i = 0; i < dims.Count; i++)
        {
            var d = dims[i];
            bool isFixed = d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue;
            if (i == 0)
            {
                if (isFixed && d.DimValue != batch)
                    throw Unsupported(file, $"input '{input.Name}': the model's batch is fixed to {d.DimValue}, so it cannot run batch {batch} (use --batch {d.DimValue} or export with a dynamic batch)");
                shape.Add(batch);
            }
            else if (!isFixed && given is not null)
            {
                shape.Add(given[i]); // the user's --input-shape fixes what the model leaves dynamic
            }
            else if (!isFixed)
            {
                string label = d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? $"'{d.DimParam}'" : "unknown";
                throw Unsupported(file, $"input '{input.Name}': dimension {i} is dynamic ({label}); only the first (batch) dimension may be, or fix it with --input-shape {input.Name}:D0,D1,…");
            }
            else if (d.DimValue < 1)
            {
                throw Unsupported(file, $"input '{input.Name}': dimension {i} is {d.DimValue}");
            }
            else
            {
                shape.Add(d.DimValue);
            }
        }
        var spec = new InputSpec(input.Name, elementType, shape.MoveToImmutable());
        try
        {
            _ = checked(spec.ElementCount * Graph.ElementType.SizeOf(elementType));
        }
        catch (OverflowException e)
        {
            throw new BenchmarkException(BenchmarkFailure.OutOfMemory, $"input '{input.Name}' at batch {batch} has more bytes than a 64-bit size can count", file, e);
        }
        return spec;
    }

    private static BenchmarkException Unsupported(string file, string cause) => new(BenchmarkFailure.UnsupportedInput, cause, file);
}
