using FastPrune.Fuzz;
using SharpFuzz;

// fastprune-fuzz TARGET          run TARGET under afl-fuzz (SharpFuzz's fork-server protocol); once, on stdin, otherwise
// fastprune-fuzz seeds DIR       write every target's seeds to DIR/TARGET/
// fastprune-fuzz replay TARGET FILE...   run files through TARGET and print what each did (for crash triage)
// fastprune-fuzz smoke TARGET N SEED     the tests' smoke, N mutants
if (args.Length == 2 && args[0] == "seeds")
{
    SeedCorpus.WriteAll(args[1]);
    return 0;
}
using var targets = new FuzzTargets();
if (args.Length >= 3 && args[0] == "replay")
{
    int bad = 0;
    foreach (string file in args[2..])
    {
        try
        {
            Console.WriteLine($"{file}: {(targets[args[1]](File.ReadAllBytes(file)) ? "accepted" : "refused")}");
        }
        catch (Exception e)
        {
            bad++;
            Console.WriteLine($"{file}: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            Console.WriteLine(e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("FastPrune", StringComparison.Ordinal) && !l.Contains("FastPrune.Fuzz", StringComparison.Ordinal))?.Trim());
        }
    }
    return bad == 0 ? 0 : 1;
}
if (args.Length == 4 && args[0] == "smoke")
{
    var r = FuzzSmoke.Run(targets[args[1]], SeedCorpus.For(args[1]), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
    Console.WriteLine($"{args[1]}: {r.Executions} executions, {r.Accepted} accepted, {r.Findings.Count} findings");
    foreach (var (input, error) in r.Findings.Take(20))
        Console.WriteLine($"  {error.GetType().Name}: {error.Message.ReplaceLineEndings(" ")} ({input.Length} bytes)");
    return r.Findings.Count == 0 ? 0 : 1;
}
if (args.Length == 1)
{
    FuzzTarget target = targets[args[0]];
    Fuzzer.OutOfProcess.Run(stream =>
    {
        var ms = new MemoryStream();
        stream.CopyTo(ms);
        target(ms.ToArray());
    });
    return 0;
}
Console.Error.WriteLine("usage: FastPrune.Fuzz TARGET | seeds DIR | replay TARGET FILE... | smoke TARGET N SEED  (targets: model, npy, idx, image)");
return 2;
