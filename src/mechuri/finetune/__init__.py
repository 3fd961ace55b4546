"""Fine-tuning the reply model (README, "Fine-tuning (QLoRA)"): LoRA/QLoRA training on the instruction
dataset, merge/export, generation and evaluation.

torch, transformers and peft are imported inside functions, so ``mechuri --help`` stays instant. The
modules, in data-flow order:

    config      the run's YAML config, validated (pydantic)
    modeling    base model (folder, hub cache, ``packaged:gemma3-270m``), 4-bit NF4, LoRA
    data        Alpaca rows → masked token ids; length-grouped or packed batches in a seeded order
    loss        cross-entropy with logits computed on answer positions only
    loop        the training loop: accumulation, schedule, eval, checkpoints, exact resume
    checkpoint  adapter + optimizer + scheduler + step + RNG
    metrics     metrics.jsonl and the loss-curve PNG
    merge       adapter folded into the base, saved as a plain HF folder
    evaluate    held-out loss/perplexity and the behaviour suite, one table for every system
"""
