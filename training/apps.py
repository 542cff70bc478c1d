from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training and inductions"

    def ready(self) -> None:
        from booking.training import set_training_link_provider

        from .links import request_link

        set_training_link_provider(request_link)
