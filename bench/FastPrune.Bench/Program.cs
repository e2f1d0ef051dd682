using System.Reflection;
using FastPrune.Bench;

// Every IBench in this assembly is a measurement; benches are found by reflection so that
// adding one is adding one file.
var benches = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBench).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
    .Select(t => (IBench)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

var bench = args.Length > 0 ? benches.FirstOrDefault(b => b.Name == args[0]) : null;
if (bench is null)
{
    Console.Error.WriteLine("usage: FastPrune.Bench NAME [args]; NAME is one of:");
    foreach (var b in benches)
        Console.Error.WriteLine($"  {b.Name,-12} {b.Summary}");
    return 2;
}
return bench.Run(args[1..]);
