namespace FastPrune.TensorRT;
