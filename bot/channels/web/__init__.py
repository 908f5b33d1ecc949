"""The web chat: residents without Telegram talk to Lotse in a browser."""

from bot.channels.web.chat import WebChat
from bot.channels.web.delivery import WebResidents
from bot.channels.web.server import create_web_app

__all__ = ["WebChat", "WebResidents", "create_web_app"]
