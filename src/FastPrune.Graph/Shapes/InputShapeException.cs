namespace FastPrune.Graph;

/// <summary>
/// An input shape that cannot be used: an <c>--input-shape</c> value that contradicts the model (an unknown input,
/// a wrong rank, a fixed dim it changes) or a dynamic dim nothing fixes. A usage problem, not a broken model:
/// the message names the input and says which flag fixes it.
/// </summary>
public sealed class InputShapeException(string message) : Exception(message);
