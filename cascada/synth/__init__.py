"""Synthetic plans at the sizes of DESIGN §7: ``generate``, then ``write`` or ``load``.

``generate`` and the conversions import no Django; ``write`` and ``load`` are imported from
their modules (``cascada.synth.write``, ``cascada.synth.load``) because they need it.
"""

from cascada.synth.generate import SIZES, SizeSpec, SynthSet, generate

__all__ = ["SIZES", "SizeSpec", "SynthSet", "generate"]
