using FastPrune.Graph;

namespace FastPrune.Search;

/// <summary>
/// One addend of a network's <see cref="LatencyTable"/> sum: a timed layer's entry less the entries of what its lone-node
/// probe paid that the network does not (<see cref="Less"/>: the layout reorders around a blocked convolution), never
/// below zero; or a layout switch the network pays (<see cref="NchwcReorders"/>).
/// </summary>
/// <param name="Layer">The configuration whose entry is added.</param>
/// <param name="Less">Configurations whose entries are taken off it.</param>
internal sealed record LatencyTerm(LatencyLayer Layer, IReadOnlyList<LatencyLayer> Less)
{
    /// <summary>The terms of <paramref name="model"/> at <paramref name="batch"/> on an engine with channel block
    /// <paramref name="block"/> (0: no blocked layout, so one term per timed layer), in graph order, switches last.</summary>
    /// <exception cref="ModelFormatException">A timed layer's shape is not static or not float32.</exception>
    public static List<LatencyTerm> Of(OnnxModel model, int batch, int block)
    {
        var (index, shapes) = LatencyLayer.ShapesAt(model, batch);
        var reorders = NchwcReorders.Of(index, shapes, block, model.Opset);
        var terms = new List<LatencyTerm>();
        foreach (int n in index.Order)
        {
            if (LatencyLayer.At(index, n, shapes, model.Opset) is { } layer)
                terms.Add(new LatencyTerm(layer, reorders.ProbeReorders.GetValueOrDefault(n) ?? []));
        }
        terms.AddRange(reorders.Switches.Select(s => new LatencyTerm(s, [])));
        return terms;
    }
}
