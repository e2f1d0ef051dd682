using System.Globalization;

namespace FastPrune.Bench;

/// <summary>The command line of <see cref="Table6Bench"/>.</summary>
internal sealed record Table6Args
{
    public string Engine { get; private init; } = "ort-cpu";
    public int? Batch { get; private init; }
    public int Warmup { get; private init; } = 2;
    public int Iters { get; private init; } = 10;
    public int Threads { get; private init; }
    public int Round { get; private init; } = 1;
    public string[] Models { get; private init; } = ["resnet50", "mobilenetv1", "deit_base"];
    public string? Keep { get; private init; }
    public bool Explain { get; private init; }

    public static Table6Args Parse(string[] args)
    {
        var a = new Table6Args();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--explain")
            {
                a = a with { Explain = true };
                continue;
            }
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            a = args[i] switch
            {
                "--engine" => a with { Engine = value },
                "--batch" => a with { Batch = Positive(args[i], value) },
                "--warmup" => a with { Warmup = Positive(args[i], value, allowZero: true) },
                "--iters" => a with { Iters = Positive(args[i], value) },
                "--threads" => a with { Threads = Positive(args[i], value, allowZero: true) },
                "--round" => a with { Round = Positive(args[i], value) },
                "--models" => a with { Models = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--keep" => a with { Keep = value },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
            i++;
        }
        return a;
    }

    private static int Positive(string name, string text, bool allowZero = false) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && (v > 0 || (allowZero && v == 0))
            ? v
            : throw new ArgumentException($"{name} must be an integer {(allowZero ? "≥ 0" : "≥ 1")}, not '{text}'");
}
