// fp_trt_build.cpp — ONNX bytes to a serialised FP32 TensorRT engine at one batch size.
//
// TensorRT 10 API: networks are always explicit-batch (createNetworkV2(0)), objects are released with
// delete, and the builder returns a serialised plan (buildSerializedNetwork) that the runtime deserialises.
#include "fp_trt_internal.hpp"

#include <NvOnnxParser.h>

#include <string>

namespace fptrt
{
namespace
{

// Up to three parser errors, "node 'name' (#index): description; ...", for a one-line message.
std::string describeParserErrors(nvonnxparser::IParser const& parser)
{
    std::string text;
    int const count = parser.getNbErrors();
    for (int i = 0; i < count && i < 3; ++i)
    {
        nvonnxparser::IParserError const* error = parser.getError(i);
        if (error == nullptr)
        {
            continue;
        }
        if (!text.empty())
        {
            text += "; ";
        }
        char const* node = error->nodeName();
        text += "node '" + std::string(node != nullptr ? node : "?") + "' (#" + std::to_string(error->node())
            + "): " + (error->desc() != nullptr ? error->desc() : "no description");
    }
    if (count > 3)
    {
        text += "; and " + std::to_string(count - 3) + " more";
    }
    return text.empty() ? takeLoggedError() : text;
}

// Applies the shim's shape rules to every network input and sets min = opt = max = the batch shape on the
// profile for dynamic ones. Returns whether any input was dynamic (a profile is then required).
bool addBatchProfile(nvinfer1::INetworkDefinition& network, nvinfer1::IOptimizationProfile& profile,
    char const* onnxPath, int32_t batch)
{
    bool dynamic = false;
    for (int32_t i = 0; i < network.getNbInputs(); ++i)
    {
        nvinfer1::ITensor* input = network.getInput(i);
        char const* name = input->getName();
        if (input->isShapeTensor())
        {
            fail(FP_TRT_E_UNSUPPORTED, "model '%s': input '%s' is a shape tensor, which the shim does not feed",
                onnxPath, name);
        }
        nvinfer1::Dims dims = input->getDimensions();
        if (dims.nbDims < 1)
        {
            fail(FP_TRT_E_UNSUPPORTED, "model '%s': input '%s' is a scalar; a batch dimension is needed", onnxPath,
                name);
        }
        if (dims.d[0] != -1 && dims.d[0] != batch)
        {
            fail(FP_TRT_E_UNSUPPORTED, FP_TRTI_MSG_FIXED_BATCH, onnxPath, name, static_cast<long long>(dims.d[0]),
                static_cast<int>(batch));
        }
        for (int32_t k = 1; k < dims.nbDims; ++k)
        {
            if (dims.d[k] <= 0)
            {
                fail(FP_TRT_E_UNSUPPORTED, FP_TRTI_MSG_DYNAMIC_DIM, onnxPath, name, static_cast<int>(k),
                    static_cast<long long>(dims.d[k]));
            }
        }
        if (dims.d[0] != -1)
        {
            continue; // fully static input: a profile entry is neither needed nor allowed to differ
        }
        dims.d[0] = batch;
        dynamic = true;
        bool ok = profile.setDimensions(name, nvinfer1::OptProfileSelector::kMIN, dims)
            && profile.setDimensions(name, nvinfer1::OptProfileSelector::kOPT, dims)
            && profile.setDimensions(name, nvinfer1::OptProfileSelector::kMAX, dims);
        if (!ok)
        {
            fail(FP_TRT_E_BUILD, "model '%s': optimisation profile rejected input '%s' at batch %d: %s", onnxPath,
                name, static_cast<int>(batch), takeLoggedError().c_str());
        }
    }
    return dynamic;
}

} // namespace

std::unique_ptr<nvinfer1::IHostMemory> buildSerializedEngine(
    std::vector<unsigned char> const& model, char const* onnxPath, int32_t batch, bool strictFp32)
{
    clearLoggedError();
    std::unique_ptr<nvinfer1::IBuilder> builder{nvinfer1::createInferBuilder(logger())};
    if (!builder)
    {
        fail(FP_TRT_E_BUILD, "createInferBuilder failed: %s", takeLoggedError().c_str());
    }
    // Flags 0: TensorRT 10 networks are explicit-batch by definition (kEXPLICIT_BATCH is deprecated and
    // ignored), and kSTRONGLY_TYPED would forbid the builder from choosing TF32 for FP32 layers.
    std::unique_ptr<nvinfer1::INetworkDefinition> network{builder->createNetworkV2(0U)};
    if (!network)
    {
        fail(FP_TRT_E_BUILD, "createNetworkV2 failed: %s", takeLoggedError().c_str());
    }
    // The parser must die before the network it fills; declaration order below guarantees that.
    std::unique_ptr<nvonnxparser::IParser> parser{nvonnxparser::createParser(*network, logger())};
    if (!parser)
    {
        fail(FP_TRT_E_BUILD, "nvonnxparser::createParser failed: %s", takeLoggedError().c_str());
    }
    // parse() with the path lets the parser resolve external-data weight files next to the model.
    if (!parser->parse(model.data(), model.size(), onnxPath))
    {
        fail(FP_TRT_E_PARSE, "ONNX parser rejected model '%s': %s", onnxPath, describeParserErrors(*parser).c_str());
    }

    std::unique_ptr<nvinfer1::IBuilderConfig> config{builder->createBuilderConfig()};
    if (!config)
    {
        fail(FP_TRT_E_BUILD, "createBuilderConfig failed: %s", takeLoggedError().c_str());
    }
    // TensorRT's FP32 default allows TF32 tensor cores for convolutions and matrix products; strict FP32
    // clears it so timings compare like with like against a true FP32 baseline.
    if (strictFp32)
    {
        config->clearFlag(nvinfer1::BuilderFlag::kTF32);
    }
    // The profile is owned by the builder; no delete.
    nvinfer1::IOptimizationProfile* profile = builder->createOptimizationProfile();
    if (profile == nullptr)
    {
        fail(FP_TRT_E_BUILD, "createOptimizationProfile failed: %s", takeLoggedError().c_str());
    }
    if (addBatchProfile(*network, *profile, onnxPath, batch) && config->addOptimizationProfile(profile) < 0)
    {
        fail(FP_TRT_E_BUILD, "model '%s': addOptimizationProfile failed: %s", onnxPath, takeLoggedError().c_str());
    }

    std::unique_ptr<nvinfer1::IHostMemory> plan{builder->buildSerializedNetwork(*network, *config)};
    if (!plan || plan->size() == 0)
    {
        fail(FP_TRT_E_BUILD, "TensorRT could not build model '%s' at batch %d: %s", onnxPath,
            static_cast<int>(batch), takeLoggedError().c_str());
    }
    return plan;
}

} // namespace fptrt
