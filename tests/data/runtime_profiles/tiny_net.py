"""The network of the PyTorch fixtures here (README.md): 8x8x3 input, five ONNX nodes."""
import torch
from torch import nn


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        # BatchNorm features.1 is folded into the convolution at export: no node of its own.
        self.features = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4),
                                      nn.ReLU(), nn.MaxPool2d(2))
        self.fc = nn.Linear(4 * 4 * 4, 5)

    def forward(self, x):
        return self.fc(torch.flatten(self.features(x), 1))


def tiny():
    torch.manual_seed(1)
    return Tiny()
