"""StreamField blocks shared by content pages (cms) and case studies (masterclass): kept low so both
layers can use them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    author = blocks.CharBlock(label=_("author"), required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", icon="title", template="blocks/heading.html")
    paragraph = blocks.RichTextBlock(icon="pilcrow")
    image = ImageChooserBlock(template="blocks/image.html")
    quote = QuoteBlock()
    document = DocumentChooserBlock(template="blocks/document.html")
    embed = EmbedBlock(help_text=_("A video link (YouTube, Vimeo, ...)"))
