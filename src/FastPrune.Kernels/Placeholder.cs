namespace FastPrune.Kernels;
