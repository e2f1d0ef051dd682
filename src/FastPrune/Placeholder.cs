namespace FastPrune;
