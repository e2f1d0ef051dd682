namespace FastPrune.Evo;
