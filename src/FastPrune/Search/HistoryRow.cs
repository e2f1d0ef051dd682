using System.Globalization;

namespace FastPrune.Search;

/// <summary>One evaluated subnet, as a row of history.csv.</summary>
internal sealed record HistoryRow(int Index, int Generation, int[] Genome, long Macs, long Params, double Accuracy,
    double TSurgery, double TRecon, double TSession, double TInfer)
{
    /// <summary>The header line of history.csv.</summary>
    public const string Header = "index,generation,genome,macs,params,accuracy,t_surgery_s,t_recon_s,t_session_s,t_infer_s";

    /// <summary>The row as a CSV line (the genome is one field, counts separated by spaces).</summary>
    public string ToCsv() => string.Join(',', Index.ToString(CultureInfo.InvariantCulture), Generation.ToString(CultureInfo.InvariantCulture),
        string.Join(' ', Genome), Macs.ToString(CultureInfo.InvariantCulture), Params.ToString(CultureInfo.InvariantCulture),
        Accuracy.ToString("R", CultureInfo.InvariantCulture), F(TSurgery), F(TRecon), F(TSession), F(TInfer));

    /// <summary>Parses a line written by <see cref="ToCsv"/>.</summary>
    /// <exception cref="FormatException">The line is not a history row.</exception>
    public static HistoryRow Parse(string line)
    {
        var f = line.Split(',');
        if (f.Length != 10) throw new FormatException($"expected 10 fields, found {f.Length}");
        var inv = CultureInfo.InvariantCulture;
        return new HistoryRow(int.Parse(f[0], inv), int.Parse(f[1], inv),
            f[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, inv)).ToArray(),
            long.Parse(f[3], inv), long.Parse(f[4], inv), double.Parse(f[5], inv),
            double.Parse(f[6], inv), double.Parse(f[7], inv), double.Parse(f[8], inv), double.Parse(f[9], inv));
    }

    private static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
}
