namespace FastPrune.Graph;
