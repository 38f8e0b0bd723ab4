"""What starts talkwatch's services: locally (deploy.local) and in production (docs beside it)."""
