"""StreamField blocks for instrument and lab pages."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False,
        help_text="Describe the image for screen readers; leave empty to use its title.",
    )
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        template = "labpages/blocks/figure.html"


class SpecificationRow(blocks.StructBlock):
    name = blocks.CharBlock(help_text="e.g. Lateral resolution")
    value = blocks.CharBlock(help_text="e.g. 120 nm")


class SpecificationsBlock(blocks.StructBlock):
    title = blocks.CharBlock(default="Specifications")
    rows = blocks.ListBlock(SpecificationRow())

    class Meta:
        icon = "table"
        template = "labpages/blocks/specifications.html"


class DocumentsBlock(blocks.StructBlock):
    title = blocks.CharBlock(default="Documents")
    documents = blocks.ListBlock(DocumentChooserBlock())

    class Meta:
        icon = "doc-full"
        template = "labpages/blocks/documents.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(help_text="A YouTube or Vimeo address.")
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "media"
        template = "labpages/blocks/video.html"


class InstrumentBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="labpages/blocks/heading.html"
    )
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul", "h3", "h4"])
    figure = FigureBlock()
    specifications = SpecificationsBlock()
    documents = DocumentsBlock()
    video = VideoBlock()
