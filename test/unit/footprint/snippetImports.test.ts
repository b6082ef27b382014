import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dropExistingImports } from '../../../src/core/footprint/snippetImports';

const SNIPPET = "import pandas as pd\n\ndf = pd.read_csv('data.csv', dtype={'a': 'int8'})\n# 1,000 bytes";

test('imports the file already has are not inserted again', () => {
  const file = 'import json\nimport pandas as pd  # data\n\nprint(1)\n';
  assert.equal(dropExistingImports(SNIPPET, file), "df = pd.read_csv('data.csv', dtype={'a': 'int8'})\n# 1,000 bytes");
});

test('imports the file lacks stay; a different alias is not the same import', () => {
  assert.equal(dropExistingImports(SNIPPET, 'import numpy as np\n'), SNIPPET);
  assert.equal(dropExistingImports(SNIPPET, 'import pandas\n'), SNIPPET);
  assert.equal(dropExistingImports(SNIPPET, '# import pandas as pd\n'), SNIPPET, 'a commented-out import');
  const sample = 'import pandas as pd\nimport numpy as np\n\nrng = np.random.default_rng(0)\n\ndf = 1';
  assert.equal(
    dropExistingImports(sample, 'import pandas as pd\n'),
    'import numpy as np\n\nrng = np.random.default_rng(0)\n\ndf = 1',
  );
});
